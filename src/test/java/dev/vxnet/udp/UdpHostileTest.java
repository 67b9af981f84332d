package dev.vxnet.udp;

import dev.vxnet.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 9 rows 5 and 6 on real sockets: zero-length datagrams, and sources that are services rather than clients. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpHostileTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("udp", "tcp"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static byte[] exchange(DatagramSocket client, byte[] data, int timeoutMs) throws Exception {
    client.setSoTimeout(timeoutMs);
    client.send(new DatagramPacket(data, data.length, LOOPBACK, node.port("udp")));
    DatagramPacket answer = new DatagramPacket(new byte[100], 100);
    client.receive(answer);
    assertEquals(node.port("udp"), answer.getPort(), "answered from the echo's own port");
    return java.util.Arrays.copyOf(answer.getData(), answer.getLength());
  }

  @Test
  void aZeroLengthDatagramGetsAZeroLengthAnswer() throws Exception {
    try (DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      assertArrayEquals(new byte[0], exchange(client, new byte[0], 5_000));
      assertArrayEquals("after".getBytes(), exchange(client, "after".getBytes(), 5_000));
    }
  }

  @Test
  void aSourceOnAPortThisNodeListensOnIsNotAnswered() throws Exception {
    long refusedBefore = node.counters("udp").getLong("refused_sources", 0L);
    // The TCP echo's port number is free for UDP: a datagram from it poses as coming from a service of this node.
    try (DatagramSocket service = new DatagramSocket(node.port("tcp"), LOOPBACK);
         DatagramSocket client = new DatagramSocket(0, LOOPBACK)) {
      assertThrows(SocketTimeoutException.class, () -> exchange(service, "loop?".getBytes(), 1_000));
      assertArrayEquals("client".getBytes(), exchange(client, "client".getBytes(), 5_000), "clients still answered");
    }
    assertEquals(refusedBefore + 1, node.counters("udp").getLong("refused_sources"));
  }

  @Test
  void aSourceOnAWellKnownPortIsNotAnswered() throws Exception {
    DatagramSocket lowPort = null;
    for (int port : new int[] {7, 19, 37, 123, 1023}) {
      try {
        lowPort = new DatagramSocket(port, LOOPBACK);
        break;
      } catch (BindException taken) {
        // not root, or the port is in use: try the next
      }
    }
    assumeTrue(lowPort != null, "binding a port below 1024 needs root (CI runs as root)");
    try (DatagramSocket service = lowPort) {
      assertThrows(SocketTimeoutException.class, () -> exchange(service, "reflect?".getBytes(), 1_000),
        "no answer to port " + service.getLocalPort());
    }
  }

  @Test
  void theGuardRefusesServicePortsAndNamesTheRule() {
    dev.vxnet.net.ReflectionGuard guard = new dev.vxnet.net.ReflectionGuard(node.vertx);
    assertEquals("source port 53 is a well-known service port (below 1024)", guard.refusal(53).orElseThrow());
    assertEquals("source port 11211 is a known reflector port", guard.refusal(11211).orElseThrow());
    assertEquals("source port " + node.port("udp") + " is a port this node listens on", guard.refusal(node.port("udp")).orElseThrow());
    assertEquals(java.util.Optional.empty(), guard.refusal(45_000));
  }

  @Test
  void nothingIsLeftAnsweredFromZeroToTheEndOfTheReflectorList() {
    dev.vxnet.net.ReflectionGuard guard = new dev.vxnet.net.ReflectionGuard(node.vertx);
    for (int port : new int[] {0, 7, 9, 13, 17, 19, 37, 53, 123, 161, 389, 1900, 11211, 5353}) {
      assertEquals(true, guard.refusal(port).isPresent(), "port " + port);
    }
  }
}
