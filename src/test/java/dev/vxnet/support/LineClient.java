package dev.vxnet.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A blocking line-protocol client (think {@code nc}) with bounded waits for expected lines. */
public final class LineClient implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private final List<String> seen = new ArrayList<>();

  public LineClient(int port) throws Exception {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  public void send(String line) throws Exception {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  public void sendRaw(byte[] bytes) throws Exception {
    out.write(bytes);
    out.flush();
  }

  /** The next line, or null at end of stream; fails after 5 s of silence. */
  public String next() throws Exception {
    String line = in.readLine();
    if (line != null) {
      seen.add(line);
    }
    return line;
  }

  /** Reads lines until one matches; fails on end of stream or 5 s of silence, listing what was read. */
  public String expect(Predicate<String> wanted, String description) throws Exception {
    try {
      for (String line = next(); line != null; line = next()) {
        if (wanted.test(line)) {
          return line;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no line " + description + " within 5 s; read so far: " + seen);
    }
    throw new AssertionError("connection closed before a line " + description + "; read: " + seen);
  }

  public String expectStartingWith(String prefix) throws Exception {
    return expect(line -> line.startsWith(prefix), "starting with \"" + prefix + "\"");
  }

  public List<String> seen() {
    return seen;
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
