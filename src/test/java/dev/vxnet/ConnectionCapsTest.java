package dev.vxnet;

import dev.vxnet.config.StartupException;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.NodeTransport;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.TrustAll;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9 row 13: every listener counts against the node's connection cap (derived from the open-files limit), HTTPS
 * has a cap of its own, a connection over a cap is closed at once, and what is already open keeps being served.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConnectionCapsTest {

  private static final int NODE_CAP = 5;

  @Test
  void overTheNodeCapNewConnectionsOfEveryListenerAreClosedWhileOpenOnesAreServed() throws Exception {
    JsonObject config = TestNode.only("tcp", "chat", "https")
      .put("node", new JsonObject().put("max_connections", NODE_CAP))
      .put("https", new JsonObject().put("max_connections", 2));
    try (TestNode node = TestNode.start(config)) {
      List<Socket> echoes = new ArrayList<>();
      for (int i = 0; i < NODE_CAP; i++) {
        Socket echo = new Socket("127.0.0.1", node.port("tcp"));
        echo.setSoTimeout(10_000);
        echoes.add(echo);
        assertEcho(echo, "hold " + i);
      }
      Socket overTcp = new Socket("127.0.0.1", node.port("tcp"));
      overTcp.setSoTimeout(10_000);
      assertEquals(-1, overTcp.getInputStream().read(), "a TCP connection over the node cap is closed at once");
      try (LineClient chat = new LineClient(node.port("chat"))) {
        assertEquals("! server full, try again later", chat.next());
      }
      assertThrows(IOException.class, () -> tlsHandshakeThenRead(node.port("https")), "HTTPS over the node cap is closed");
      for (int i = 0; i < echoes.size(); i++) {
        assertEcho(echoes.get(i), "still served " + i);
      }
      echoes.remove(0).close();
      echoes.remove(0).close();
      awaitOpen(node, "tcp", NODE_CAP - 2);
      try (LineClient chat = LineClient.chat(node.port("chat"), Duration.ofSeconds(10))) {
        assertTrue(chat.seen().get(0).startsWith("* welcome"), "admitted again below the cap");
      }
      assertEquals("HTTP/1.1 200", tlsHandshakeThenRead(node.port("https")).substring(0, 12));
      for (Socket echo : echoes) {
        echo.close();
      }
      awaitOpen(node, "tcp", 0);
      awaitCounter(node, "https", "connections_open", 0);
      List<SSLSocket> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(tlsConnection(node.port("https")));
      }
      // TLS 1.3: the client's handshake ends before the server has read its Finished, and the server counts a
      // connection from there; the third must come after both are counted
      awaitCounter(node, "https", "connections_open", 2);
      assertThrows(IOException.class, () -> tlsHandshakeThenRead(node.port("https")), "over https.max_connections (2)");
      for (SSLSocket socket : held) {
        socket.close();
      }
      assertTrue(node.counters("https").getLong("refused") >= 2, node.counters("https").encode());
      assertTrue(node.counters("tcp").getLong("refused") >= 1);
    }
  }

  /**
   * Connections that never start a TLS handshake hold descriptors too: they count against the node cap from accept
   * (NodeTransport's gate), so a flood of them cannot take the descriptors every other listener needs.
   */
  @Test
  void tlsConnectionsCountAgainstTheNodeCapFromAcceptBeforeAnyHandshake() throws Exception {
    int cap = 3;
    JsonObject config = TestNode.only("tcp", "https").put("node", new JsonObject().put("max_connections", cap));
    try (TestNode node = TestNode.start(config)) {
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < cap; i++) {
          silent.add(new Socket("127.0.0.1", node.port("https"))); // TCP only: no ClientHello is ever sent
        }
        // The listener accepts in order, so once the next one is refused the three before it are counted.
        try (Socket over = new Socket("127.0.0.1", node.port("https"))) {
          assertClosedAtOnce(over, "a TLS connection over the node cap, before its handshake");
        }
        assertEquals(1, node.counters("https").getLong("refused"), node.counters("https").encode());
        assertEquals(0, node.counters("https").getLong("connections_total"), "none of them reached the HTTPS server");
        try (Socket echo = new Socket("127.0.0.1", node.port("tcp"))) {
          assertClosedAtOnce(echo, "a TCP echo connection while handshake-less TLS connections fill the node cap");
        }
      } finally {
        for (Socket socket : silent) {
          socket.close();
        }
      }
      // Their slots come back as the server sees them close: a handshake succeeds again within the deadline.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try {
          assertEquals("HTTP/1.1 200", tlsHandshakeThenRead(node.port("https")).substring(0, 12));
          break;
        } catch (IOException refused) {
          assertTrue(System.nanoTime() < deadline, "slots of closed TLS connections never came back: " + refused);
        }
      }
    }
  }

  /** The HTTPS cap applies before the handshake too, so a flood of TLS connections leaves the node to the others. */
  @Test
  void handshakeLessTlsConnectionsStopAtTheirListenersCapAndOthersAreStillAdmitted() throws Exception {
    JsonObject config = TestNode.only("tcp", "https")
      .put("node", new JsonObject().put("max_connections", 4))
      .put("https", new JsonObject().put("max_connections", 2));
    try (TestNode node = TestNode.start(config)) {
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < 2; i++) {
          silent.add(new Socket("127.0.0.1", node.port("https")));
        }
        try (Socket over = new Socket("127.0.0.1", node.port("https"))) {
          assertClosedAtOnce(over, "a TLS connection over https.max_connections, before its handshake");
        }
        assertEquals(1, node.counters("https").getLong("refused"), node.counters("https").encode());
        try (Socket echo = new Socket("127.0.0.1", node.port("tcp"))) {
          echo.setSoTimeout(10_000);
          assertEcho(echo, "the node has room for the TCP echo");
        }
      } finally {
        for (Socket socket : silent) {
          socket.close();
        }
      }
    }
  }

  /** DoT is a TLS listener too: its cap counts connections that have not begun a handshake. */
  @Test
  void dotCountsHandshakeLessConnectionsAgainstItsCap() throws Exception {
    JsonObject config = TestNode.only("dns").put("dns", new JsonObject().put("max_connections", 1)
      .put("upstreams", new io.vertx.core.json.JsonArray().add("127.0.0.1:9"))); // never asked here
    try (TestNode node = TestNode.start(config); Socket silent = new Socket("127.0.0.1", node.port("dns.dot"))) {
      try (Socket over = new Socket("127.0.0.1", node.port("dns.dot"))) {
        assertClosedAtOnce(over, "a DoT connection over dns.max_connections, before its handshake");
      }
      assertEquals(1, node.counters("dns").getLong("dot_refused_connections"), node.counters("dns").encode());
      assertEquals(0, node.counters("dns").getLong("dot_connections"), "the silent one never reached the DoT listener");
    }
  }

  @Test
  void onIoUringTheGateCountsAtAcceptAndEveryEchoAnswers() throws Exception {
    assumeTrue(Transport.IO_URING.available(), () -> "io_uring: " + Transport.IO_URING.unavailabilityCause());
    JsonObject config = TestNode.only("tcp", "udp", "https").put("https", new JsonObject().put("max_connections", 2));
    List<Thread> udpLoops;
    try (TestNode node = TestNode.startOn("io_uring", config)) {
      assertEquals("io_uring", NodeTransport.nameOf(node.vertx));
      // the UDP echo reads on an epoll event loop of its own (recvmmsg batches), one per instance
      udpLoops = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vxnet-udp-epoll")).toList();
      assertEquals(1, udpLoops.size(), "the UDP echo's own epoll event loop: " + udpLoops);
      try (Socket first = new Socket("127.0.0.1", node.port("https")); Socket second = new Socket("127.0.0.1", node.port("https"))) {
        try (Socket over = new Socket("127.0.0.1", node.port("https"))) {
          assertClosedAtOnce(over, "on io_uring, a TLS connection over https.max_connections, before its handshake");
        }
        assertEquals(1, node.counters("https").getLong("refused"), node.counters("https").encode());
      }
      try (Socket echo = new Socket("127.0.0.1", node.port("tcp"))) {
        echo.setSoTimeout(10_000);
        assertEcho(echo, "tcp echo on io_uring");
      }
      // as `printf ping | nc -N` does: the bytes, then the client's FIN; the echo still comes back whole
      try (Socket echo = new Socket("127.0.0.1", node.port("tcp"))) {
        echo.setSoTimeout(10_000);
        echo.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        echo.shutdownOutput();
        assertEquals("ping", new String(echo.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
      }
      // The UDP echo's own channel (NativeEcho) on io_uring: a datagram and an empty one (EmptyDatagram) come back.
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        udp.setSoTimeout(10_000);
        for (byte[] sent : List.of("udp echo on io_uring".getBytes(StandardCharsets.US_ASCII), new byte[0])) {
          udp.send(new DatagramPacket(sent, sent.length, InetAddress.getLoopbackAddress(), node.port("udp")));
          DatagramPacket answer = new DatagramPacket(new byte[100], 100);
          udp.receive(answer);
          assertArrayEquals(sent, Arrays.copyOf(answer.getData(), answer.getLength()));
        }
      }
    }
    for (Thread loop : udpLoops) {
      loop.join(10_000);
      assertFalse(loop.isAlive(), "the UDP echo's own event loop ends with its verticle: " + loop);
    }
  }

  private static void assertClosedAtOnce(Socket socket, String what) {
    try {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write('x');
      assertEquals(-1, socket.getInputStream().read(), what + " is closed at once");
    } catch (java.net.SocketTimeoutException open) {
      fail(what + " is still open after 10 s");
    } catch (IOException reset) {
      // closed at once, and the kernel answered the byte with a reset: closed all the same
    }
  }

  @Test
  void theDerivedCapLeavesTheReserveAndAnExplicitOneMustFit() {
    assertEquals(18_000, ConnectionLimit.derivedNodeLimit(20_000, 2_000));
    assertEquals(512, ConnectionLimit.derivedNodeLimit(1_024, 2_000), "a small limit: half of it");
    NodeSettings tooMany = new NodeSettings(null, 1, 10_000, 19_000, 2_000, 0, 2_000, "auto");
    StartupException refused = assertThrows(StartupException.class, () -> tooMany.connectionLimit(20_000));
    assertTrue(refused.getMessage().startsWith("node.max_connections: 19000 leaves fewer than node.reserved_fds (2000)"),
      refused.getMessage());
    assertEquals(17_000, new NodeSettings(null, 1, 10_000, 17_000, 2_000, 0, 2_000, "auto").connectionLimit(20_000));
  }

  private static void awaitOpen(TestNode node, String service, long open) throws Exception {
    awaitCounter(node, service, "open", open);
  }

  private static void awaitCounter(TestNode node, String service, String counter, long value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (node.counters(service).getLong(counter) != value) {
      assertTrue(System.nanoTime() < deadline, service + " " + counter + ": " + node.counters(service).getLong(counter));
    }
  }

  private static void assertEcho(Socket socket, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    socket.getOutputStream().write(bytes);
    assertArrayEquals(bytes, socket.getInputStream().readNBytes(bytes.length));
  }

  private static SSLSocket tlsConnection(int port) throws Exception {
    return TrustAll.connect(port, null);
  }

  /** One HTTP/1.1 request over TLS; the status line, or an IOException when the server closes the connection. */
  private static String tlsHandshakeThenRead(int port) throws Exception {
    try (SSLSocket socket = tlsConnection(port)) {
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
      byte[] answer = socket.getInputStream().readAllBytes();
      if (answer.length == 0) {
        throw new IOException("closed without an answer");
      }
      return new String(answer, StandardCharsets.ISO_8859_1);
    }
  }
}
