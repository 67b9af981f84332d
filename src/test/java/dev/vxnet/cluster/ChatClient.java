package dev.vxnet.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A plain-socket chat user, as a person with nc would be: reads lines, types lines. */
final class ChatClient implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  private ChatClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.out = socket.getOutputStream();
  }

  /** Connects to a chat port on loopback and waits for the welcome line: the client is then in its room on every node. */
  static ChatClient connect(int port, Duration timeout) throws IOException {
    ChatClient client = new ChatClient(new Socket(InetAddress.getLoopbackAddress(), port));
    client.awaitLine("* welcome to vxnet chat", timeout);
    return client;
  }

  void type(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads lines until one starts with {@code prefix}; fails at the deadline, listing what came instead. */
  String awaitLine(String prefix, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> seen = new ArrayList<>();
    while (true) {
      long leftMs = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMs <= 0) {
        throw new AssertionError("no line starting with \"" + prefix + "\" within " + timeout.toMillis() + " ms; got " + seen);
      }
      socket.setSoTimeout((int) leftMs);
      String line;
      try {
        line = in.readLine();
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (line == null) {
        throw new AssertionError("connection closed while waiting for \"" + prefix + "\"; got " + seen);
      }
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.add(line);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
