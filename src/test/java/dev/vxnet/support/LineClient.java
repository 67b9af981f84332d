package dev.vxnet.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A blocking line-protocol client, as a person with {@code nc} would be, with bounded waits for expected lines. */
public final class LineClient implements AutoCloseable {

  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private final List<String> seen = new ArrayList<>();

  public LineClient(int port) throws Exception {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) DEFAULT_WAIT.toMillis());
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** A chat client that has been welcomed: it is then in its room on every node. */
  public static LineClient chat(int port, Duration timeout) throws Exception {
    LineClient client = new LineClient(port);
    client.expectStartingWith("* welcome to vxnet chat", timeout);
    return client;
  }

  public void send(String line) throws Exception {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
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

  /** Reads lines until one matches; fails on end of stream or at the deadline, listing what was read. */
  public String expect(Predicate<String> wanted, String description, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        throw new AssertionError("no line " + description + " within " + timeout.toMillis() + " ms; read so far: " + seen);
      }
      socket.setSoTimeout((int) leftMs);
      String line;
      try {
        line = next();
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (line == null) {
        throw new AssertionError("connection closed before a line " + description + "; read: " + seen);
      }
      if (wanted.test(line)) {
        return line;
      }
    }
  }

  public String expect(Predicate<String> wanted, String description) throws Exception {
    return expect(wanted, description, DEFAULT_WAIT);
  }

  public String expectStartingWith(String prefix, Duration timeout) throws Exception {
    return expect(line -> line.startsWith(prefix), "starting with \"" + prefix + "\"", timeout);
  }

  public String expectStartingWith(String prefix) throws Exception {
    return expectStartingWith(prefix, DEFAULT_WAIT);
  }

  public List<String> seen() {
    return seen;
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
