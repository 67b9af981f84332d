package dev.vxnet.tcp;

import dev.vxnet.support.Await;
import dev.vxnet.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpEchoVerticleTest {

  private TestNode node;

  private TestNode start(JsonObject tcp) throws Exception {
    node = TestNode.start(TestNode.only("tcp").put("tcp", tcp));
    return node;
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private Socket connect() throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", node.port("tcp")), 5_000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void oneMebibyteOfRandomBytesComesBackExactly() throws Exception {
    start(new JsonObject());
    byte[] sent = new byte[1 << 20];
    new Random(862).nextBytes(sent);
    try (Socket socket = connect()) {
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(sent);
          socket.shutdownOutput();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      byte[] received = socket.getInputStream().readAllBytes(); // until the server closes after our FIN
      writer.join(10_000);
      assertEquals(sent.length, received.length);
      assertArrayEquals(sent, received);
    }
    JsonObject counters = Await.result("bytes counted", Duration.ofSeconds(10), () -> {
      JsonObject c = node.counters("tcp");
      assertEquals(1L << 20, c.getLong("bytes_out"));
      return c;
    });
    assertEquals(1L << 20, counters.getLong("bytes_in"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fiveHundredConcurrentConnectionsAreEachEchoed() throws Exception {
    start(new JsonObject().put("instances", 2).put("port", TestNode.freePort()));
    NetClient client = node.vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    List<Future<Boolean>> echoes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String payload = "connection-" + i + "-" + "x".repeat(i % 97) + "\n";
      echoes.add(client.connect(node.port("tcp"), "127.0.0.1").compose(socket -> echoOf(socket, payload)));
    }
    Future.all(echoes).await(45, TimeUnit.SECONDS);
    assertTrue(echoes.stream().allMatch(Future::result), "every connection got its own bytes back");
    assertEquals(500L, node.counters("tcp").getLong("total"));
  }

  private static Future<Boolean> echoOf(NetSocket socket, String payload) {
    Buffer received = Buffer.buffer();
    io.vertx.core.Promise<Boolean> done = io.vertx.core.Promise.promise();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      if (received.length() >= payload.length()) {
        done.tryComplete(received.toString().equals(payload));
        socket.close();
      }
    });
    socket.closeHandler(v -> done.tryComplete(received.toString().equals(payload)));
    socket.write(payload);
    return done.future();
  }

  /**
   * A client writes 64 MiB and reads nothing: the server must stop reading (bytes_in stays far below what
   * the client tried to write, the client's writes stall); once the client reads, every byte arrives in order.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aClientThatDoesNotReadIsThrottledAndLosesNothing() throws Exception {
    start(new JsonObject().put("write_queue_max_bytes", 65_536));
    long total = 64L << 20;
    try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.port("tcp")))) {
      channel.configureBlocking(false);
      Stream stream = new Stream(42);
      ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
      long written = 0;
      long lastProgress = System.nanoTime();
      while (written < total && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(2)) {
        if (!chunk.hasRemaining() || chunk.position() == 0) {
          chunk.clear();
          stream.fill(chunk.array(), (int) Math.min(chunk.capacity(), total - written));
          chunk.limit((int) Math.min(chunk.capacity(), total - written));
        }
        int n = channel.write(chunk);
        if (n > 0) {
          written += n;
          lastProgress = System.nanoTime();
          if (!chunk.hasRemaining()) {
            chunk.position(0).limit(0);
          }
        } else {
          Thread.onSpinWait();
        }
      }
      long stalledAt = written;
      long serverRead = node.counters("tcp").getLong("bytes_in");
      assertTrue(stalledAt < total, "writes must stall while nobody reads, but all " + total + " bytes went out");
      assertTrue(serverRead < 16L << 20, "server read " + serverRead + " bytes from a client that does not read");

      // Now read everything back while writing the rest, checking order byte by byte.
      channel.configureBlocking(true);
      long[] readBack = {0};
      Thread reader = new Thread(() -> readBack[0] = verify(channel, total));
      reader.start();
      ByteBuffer rest = chunk.hasRemaining() ? chunk : ByteBuffer.allocate(0);
      while (rest.hasRemaining()) {
        written += channel.write(rest);
      }
      byte[] block = new byte[64 * 1024];
      while (written < total) {
        int n = (int) Math.min(block.length, total - written);
        stream.fill(block, n);
        ByteBuffer buffer = ByteBuffer.wrap(block, 0, n);
        while (buffer.hasRemaining()) {
          written += channel.write(buffer);
        }
      }
      reader.join(90_000);
      assertEquals(total, readBack[0], "every byte echoed, in order");
    }
  }

  /** Reads {@code total} bytes and checks them against the same deterministic stream; returns bytes verified. */
  private static long verify(SocketChannel channel, long total) {
    Stream expected = new Stream(42);
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    byte[] want = new byte[64 * 1024];
    long verified = 0;
    try {
      while (verified < total) {
        in.clear();
        int n = channel.read(in);
        if (n < 0) {
          break;
        }
        expected.fill(want, n);
        if (!Arrays.equals(in.array(), 0, n, want, 0, n)) {
          return -verified; // mismatch: report where
        }
        verified += n;
      }
    } catch (Exception e) {
      return -verified;
    }
    return verified;
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void connectionsBeyondTheLimitAreClosedAndCounted() throws Exception {
    start(new JsonObject().put("max_connections", 2));
    try (Socket first = connect(); Socket second = connect()) {
      // Both are served: an echo proves the server accepted and counted them before the third arrives.
      for (Socket s : List.of(first, second)) {
        s.getOutputStream().write('x');
        assertEquals('x', s.getInputStream().read());
      }
      try (Socket third = connect()) {
        assertEquals(-1, third.getInputStream().read(), "the third connection is closed at once");
      }
      JsonObject counters = node.counters("tcp");
      assertEquals(1L, counters.getLong("refused"));
      assertEquals(2L, counters.getLong("open"));
    }
    // Once the two close, a new connection is served again.
    Await.until("the two connections released", Duration.ofSeconds(10), () -> open() == 0);
    try (Socket again = connect()) {
      again.getOutputStream().write('y');
      assertEquals('y', again.getInputStream().read());
    }
  }

  private long open() {
    try {
      return node.counters("tcp").getLong("open");
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anIdleConnectionIsClosedByTheServer() throws Exception {
    start(new JsonObject().put("idle_timeout_ms", 300));
    try (Socket socket = connect()) {
      socket.getOutputStream().write('z');
      InputStream in = socket.getInputStream();
      assertEquals('z', in.read());
      long started = System.nanoTime();
      assertEquals(-1, in.read(), "closed by the server after the idle timeout");
      long idleMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(idleMs >= 250, "closed after " + idleMs + " ms, before the 300 ms idle timeout");
    }
  }

  /** A deterministic byte stream, so 64 MiB can be checked without keeping it. */
  private static final class Stream {
    private final SplittableRandom random;

    Stream(long seed) {
      random = new SplittableRandom(seed);
    }

    void fill(byte[] into, int length) {
      for (int i = 0; i < length; i++) {
        into[i] = (byte) random.nextInt(256);
      }
    }
  }
}
