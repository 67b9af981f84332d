package dev.vxnet.support;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A blocking TCP event-bus bridge client: 4-byte big-endian length + UTF-8 JSON, both ways. */
public final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final List<JsonObject> seen = new ArrayList<>();

  public BridgeClient(int port) throws Exception {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(5_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  public void send(JsonObject frame) throws Exception {
    sendRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** A frame of arbitrary bytes, its length computed. */
  public void sendRaw(byte[] payload) throws Exception {
    out.writeInt(payload.length);
    out.write(payload);
    out.flush();
  }

  /** Half-closes: sends this side's FIN (RFC 9293 section 3.6), and can still read. */
  public void shutdownOutput() throws Exception {
    socket.shutdownOutput();
  }

  public void sendBytes(byte[] bytes) throws Exception {
    out.write(bytes);
    out.flush();
  }

  /** The next frame, or null at end of stream; fails after 5 s of silence. */
  public JsonObject next() throws Exception {
    int length;
    try {
      length = in.readInt();
    } catch (EOFException closed) {
      return null;
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    JsonObject frame = new JsonObject(new String(payload, StandardCharsets.UTF_8));
    seen.add(frame);
    return frame;
  }

  /** Reads frames until one matches; fails on end of stream or 5 s of silence, listing what was read. */
  public JsonObject expect(Predicate<JsonObject> wanted, String description) throws Exception {
    try {
      for (JsonObject frame = next(); frame != null; frame = next()) {
        if (wanted.test(frame)) {
          return frame;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame " + description + " within 5 s; read so far: " + seen);
    }
    throw new AssertionError("connection closed before a frame " + description + "; read: " + seen);
  }

  /** Sends a ping and waits for its pong: every frame sent before it has been handled. */
  public void sync() throws Exception {
    send(new JsonObject().put("type", "ping"));
    expect(frame -> "pong".equals(frame.getString("type")), "pong");
  }

  /** True once the server has closed the connection (end of stream within 5 s). */
  public boolean closedByServer() throws Exception {
    try {
      while (next() != null) {
        // frames still in flight before the close
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  public List<JsonObject> seen() {
    return seen;
  }

  @Override
  public void close() throws Exception {
    socket.close();
  }
}
