package dev.vxnet.udp;

import dev.vxnet.support.Await;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
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

  private void start(JsonObject udp) throws Exception {
    node = TestNode.start(TestNode.only("udp").put("udp", udp));
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

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void manyDatagramsUpToTheMaximumSizeComeBackUnchanged() throws Exception {
    start(new JsonObject().put("max_datagram_bytes", 8_192));
    DatagramSocket socket = client();
    Random random = new Random(9999);
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[i == 299 ? 8_192 : 1 + random.nextInt(1_500)];
      random.nextBytes(data);
      send(socket, data);
      assertArrayEquals(data, receive(socket), "datagram " + i);
    }
    assertEquals(300L, node.counters("udp").getLong("datagrams_out"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void oversizeDatagramsAreDroppedAndCounted() throws Exception {
    start(new JsonObject().put("max_datagram_bytes", 1_000));
    DatagramSocket socket = client();
    send(socket, new byte[1_001]);
    send(socket, new byte[60_000]);
    byte[] marker = "marker".getBytes();
    send(socket, marker);
    // Datagrams on loopback to one socket keep their order: had the big ones been echoed, they would come first.
    assertArrayEquals(marker, receive(socket));
    JsonObject counters = node.counters("udp");
    assertEquals(2L, counters.getLong("oversize"));
    assertEquals(1L, counters.getLong("datagrams_out"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aSourceOverItsRateIsDroppedAndCounted() throws Exception {
    start(new JsonObject().put("rate_limit_per_second", 10).put("rate_limit_burst", 5));
    DatagramSocket socket = client();
    for (int i = 0; i < 40; i++) {
      send(socket, ("d" + i).getBytes());
    }
    JsonObject counters = Await.result("all 40 datagrams seen by the server", Duration.ofSeconds(10), () -> {
      JsonObject c = node.counters("udp");
      assertEquals(40L, c.getLong("datagrams_in"));
      return c;
    });
    long answered = counters.getLong("datagrams_out");
    long limited = counters.getLong("rate_limited");
    assertEquals(40L, answered + limited);
    assertTrue(answered >= 5 && answered <= 15, "burst of 5 plus at most a second of refill, answered " + answered);
    for (int i = 0; i < answered; i++) {
      receive(socket);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void severalInstancesShareOnePortWithReusePort() throws Exception {
    start(new JsonObject().put("instances", 2).put("port", TestNode.freePort()));
    Assumptions.assumeTrue(node.vertx.isNativeTransportEnabled(), "SO_REUSEPORT needs the native transport");
    for (int s = 0; s < 32; s++) {
      DatagramSocket socket = client();
      for (int i = 0; i < 5; i++) {
        byte[] data = ("socket " + s + " datagram " + i).getBytes();
        send(socket, data);
        assertArrayEquals(data, receive(socket));
      }
    }
    JsonObject udp = node.stats().getJsonArray("nodes").getJsonObject(0).getJsonObject("services").getJsonObject("udp");
    JsonArray instances = udp.getJsonArray("instances");
    assertEquals(2, instances.size());
    for (Object instance : instances) {
      long out = ((JsonObject) instance).getJsonObject("counters").getLong("datagrams_out");
      assertTrue(out > 0, "both instances answered some of 32 sources, this one " + out);
    }
    assertEquals(160L, udp.getJsonObject("counters").getLong("datagrams_out"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void nothingComesBackWhenNothingIsSent() throws Exception {
    start(new JsonObject());
    DatagramSocket socket = client();
    socket.setSoTimeout(200);
    try {
      receive(socket);
      throw new AssertionError("a datagram arrived unasked");
    } catch (SocketTimeoutException expected) {
      // the echo only ever answers
    }
  }
}
