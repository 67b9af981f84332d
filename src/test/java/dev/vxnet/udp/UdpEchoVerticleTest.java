package dev.vxnet.udp;

import dev.vxnet.support.Await;
import dev.vxnet.support.TestNode;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpEchoVerticleTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private TestNode node;
  private final List<DatagramSocket> clients = new ArrayList<>();

  private void start(JsonObject udp, boolean nativeTransport) throws Exception {
    node = TestNode.start(TestNode.only("udp").put("udp", udp), nativeTransport);
    assertEquals(nativeTransport && Epoll.isAvailable(), node.vertx.isNativeTransportEnabled());
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(DatagramSocket::close);
    if (node != null) {
      node.close();
    }
  }

  private DatagramSocket client() throws Exception {
    DatagramSocket socket = new DatagramSocket(0, LOOPBACK);
    socket.setSoTimeout(5_000);
    socket.setReceiveBufferSize(1 << 20);
    clients.add(socket);
    return socket;
  }

  private void send(DatagramSocket socket, byte[] data) throws Exception {
    socket.send(new DatagramPacket(data, data.length, LOOPBACK, node.port("udp")));
  }

  private static byte[] receive(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[70_000], 70_000);
    socket.receive(packet);
    return Arrays.copyOf(packet.getData(), packet.getLength());
  }

  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void manyDatagramsUpToTheMaximumSizeComeBackUnchanged(boolean nativeTransport) throws Exception {
    start(new JsonObject().put("max_datagram_bytes", 8_192), nativeTransport);
    DatagramSocket socket = client();
    Random random = new Random(9999);
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[i == 299 ? 8_192 : 1 + random.nextInt(1_500)];
      random.nextBytes(data);
      send(socket, data);
      assertArrayEquals(data, receive(socket), "datagram " + i);
    }
    assertEquals(300L, node.countersOnce("udp", "datagrams_out", 300).getLong("datagrams_out"));
  }

  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void oversizeDatagramsAreDroppedAndCounted(boolean nativeTransport) throws Exception {
    start(new JsonObject().put("max_datagram_bytes", 1_000), nativeTransport);
    DatagramSocket socket = client();
    send(socket, new byte[1_001]);
    send(socket, new byte[60_000]);
    byte[] marker = "marker".getBytes();
    send(socket, marker);
    // Datagrams on loopback to one socket keep their order: had the big ones been echoed, they would come first.
    assertArrayEquals(marker, receive(socket));
    JsonObject counters = node.countersOnce("udp", "datagrams_out", 1);
    assertEquals(2L, counters.getLong("oversize"));
    assertEquals(1L, counters.getLong("datagrams_out"));
  }

  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aSourceOverItsRateIsDroppedAndCounted(boolean nativeTransport) throws Exception {
    start(new JsonObject().put("rate_limit_per_second", 10).put("rate_limit_burst", 5), nativeTransport);
    DatagramSocket socket = client();
    for (int i = 0; i < 40; i++) {
      send(socket, ("d" + i).getBytes());
    }
    // every datagram seen and settled: answered (counted when its send completes), failed or refused
    JsonObject counters = Await.result("all 40 datagrams seen and settled", Duration.ofSeconds(10), () -> {
      JsonObject c = node.counters("udp");
      assertEquals(40L, c.getLong("datagrams_in"));
      assertEquals(40L, c.getLong("datagrams_out") + c.getLong("send_errors") + c.getLong("rate_limited"));
      return c;
    });
    assertEquals(0L, counters.getLong("send_errors"));
    long answered = counters.getLong("datagrams_out");
    long limited = counters.getLong("rate_limited");
    assertEquals(40L, answered + limited);
    assertEquals(10 * 2 + 30 * 3, counters.getLong("bytes_in"), "payload bytes of d0..d39");
    long bytesOut = counters.getLong("bytes_out");
    assertTrue(bytesOut >= 2 * answered && bytesOut <= 3 * answered, "2 or 3 bytes per answer: " + bytesOut);
    assertTrue(answered >= 5 && answered <= 15, "burst of 5 plus at most a second of refill, answered " + answered);
    for (int i = 0; i < answered; i++) {
      receive(socket);
    }
  }

  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void severalInstancesShareOnePortWithReusePort(boolean nativeTransport) throws Exception {
    start(new JsonObject().put("instances", 2).put("port", TestNode.freePort()), nativeTransport);
    Assumptions.assumeTrue(node.vertx.isNativeTransportEnabled(), "SO_REUSEPORT needs the native transport");
    for (int s = 0; s < 32; s++) {
      DatagramSocket socket = client();
      for (int i = 0; i < 5; i++) {
        byte[] data = ("socket " + s + " datagram " + i).getBytes();
        send(socket, data);
        assertArrayEquals(data, receive(socket));
      }
    }
    node.countersOnce("udp", "datagrams_out", 160);
    JsonObject udp = node.stats().getJsonArray("nodes").getJsonObject(0).getJsonObject("services").getJsonObject("udp");
    JsonArray instances = udp.getJsonArray("instances");
    assertEquals(2, instances.size());
    for (Object instance : instances) {
      long out = ((JsonObject) instance).getJsonObject("counters").getLong("datagrams_out");
      assertTrue(out > 0, "both instances answered some of 32 sources, this one " + out);
    }
    assertEquals(160L, udp.getJsonObject("counters").getLong("datagrams_out"));
  }

  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void nothingComesBackWhenNothingIsSent(boolean nativeTransport) throws Exception {
    start(new JsonObject(), nativeTransport);
    DatagramSocket socket = client();
    socket.setSoTimeout(200);
    try {
      receive(socket);
      throw new AssertionError("a datagram arrived unasked");
    } catch (SocketTimeoutException expected) {
      // the echo only ever answers
    }
  }

  /** Bursts from several sockets: the epoll path reads and answers them in batches (recvmmsg, sendmmsg). */
  @ParameterizedTest(name = "native transport: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void burstsFromSeveralSourcesComeBackWhole(boolean nativeTransport) throws Exception {
    start(new JsonObject(), nativeTransport);
    List<DatagramSocket> sockets = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      sockets.add(client());
    }
    int rounds = 20;
    int window = 8;
    for (int r = 0; r < rounds; r++) {
      for (int s = 0; s < sockets.size(); s++) {
        for (int i = 0; i < window; i++) {
          send(sockets.get(s), ("round " + r + " socket " + s + " datagram " + i).getBytes());
        }
      }
      for (int s = 0; s < sockets.size(); s++) {
        for (int i = 0; i < window; i++) {
          // one socket's datagrams come back in order on loopback: each answer is its own datagram, unchanged
          assertEquals("round " + r + " socket " + s + " datagram " + i, new String(receive(sockets.get(s))));
        }
      }
    }
    long total = (long) rounds * sockets.size() * window;
    JsonObject counters = node.countersOnce("udp", "datagrams_out", total);
    assertEquals(total, counters.getLong("datagrams_in"));
    assertEquals(total, counters.getLong("datagrams_out"));
    assertEquals(0L, counters.getLong("send_errors"));
  }
}
