package dev.vxnet.dns.resolver;

import dev.vxnet.net.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.EOFException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.dns.resolver.DnsResolverVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, the whole kind of row 10: seeded, bounded mutations of well-formed queries (bytes flipped, cut off,
 * lengthened, header counts rewritten, pure noise) sent to the Do53 listener over UDP and TCP. Each message that is
 * a query at all (a header, QR clear) gets an answer with its ID and a DNS response code; the others get none (on
 * TCP: the connection closes); nothing is logged with an exception, and a good query is answered afterwards.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DnsFuzzTest {

  /** Fixed, so that a failure can be replayed. */
  private static final long SEED = 0x15_09_10L;
  private static final int UDP_MESSAGES = 1_000;
  private static final int TCP_MESSAGES = 150;
  /** What a server may answer to any query (BADVERS, 16, shows as 0 in the header: its upper bits are in the OPT). */
  private static final Set<Integer> HEADER_RCODES = Set.of(Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN,
    Rcode.NOTIMP, Rcode.REFUSED);

  private Vertx vertx;
  private TestDnsServer upstream;
  private ThrownLog thrown;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    upstream = await(TestDnsServer.start(vertx, new TestZone(300, 3_600, 60)));
    JsonObject config = DnsResolverVerticleTest.testConfig(new JsonObject()
      .put("upstreams", new JsonArray().add(upstream.address()))
      .put("timeout_ms", 2_000)
      .put("rate_limit_per_second", 0)
      .put("rate_limit_bytes_per_second", 0));
    await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(config)));
    thrown = new ThrownLog();
  }

  @AfterEach
  void stop() throws Exception {
    thrown.close();
    await(upstream.close());
  }

  private int do53() {
    return Listening.port(vertx, DnsResolverVerticle.DO53);
  }

  @Test
  void mutatedQueriesOverUdpGetAnAnswerWithTheirIdOrNoneAndNothingThrows() throws Exception {
    Random random = new Random(SEED);
    int answered = 0;
    try (DatagramSocket socket = WireClient.udpSocket()) {
      for (int i = 0; i < UDP_MESSAGES; i++) {
        byte[] message = QueryMutations.mutated(random, i);
        WireClient.send(socket, do53(), message);
        if (!QueryMutations.isQuery(message)) {
          continue; // no answer is expected; one would show as a wrong ID at the next receive
        }
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        byte[] answer = Arrays.copyOf(buffer, packet.getLength());
        assertAnswers(message, answer, i);
        answered++;
      }
      assertTrue(answered > UDP_MESSAGES / 2, answered + " of " + UDP_MESSAGES + " were queries: the mutations are too wild");
      byte[] good = WireClient.query(4242, "www.vxnet.test.", Type.A, 1232).toWire();
      WireClient.send(socket, do53(), good);
      assertEquals(Rcode.NOERROR, WireClient.receive(socket).getRcode(), "and the listener answers on");
    }
    thrown.assertEmpty();
  }

  @Test
  void mutatedQueriesOverTcpGetAnAnswerWithTheirIdOrTheConnectionClosesAndNothingThrows() throws Exception {
    Random random = new Random(SEED + 1);
    for (int i = 0; i < TCP_MESSAGES; i++) {
      byte[] message = QueryMutations.mutated(random, i);
      try (Socket socket = WireClient.tcp(do53())) {
        WireClient.write(socket, message);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        if (!QueryMutations.isQuery(message)) {
          assertTrue(WireClient.closedByServer(socket), "message " + i + " is no query: the stream is closed");
          continue;
        }
        byte[] answer;
        try {
          answer = new byte[in.readUnsignedShort()];
          in.readFully(answer);
        } catch (EOFException e) {
          throw new AssertionError("message " + i + " (" + hex(message) + "): connection closed without an answer", e);
        }
        assertAnswers(message, answer, i);
      }
    }
    assertEquals(Rcode.NOERROR, WireClient.udp(do53(), WireClient.query(4243, "www.vxnet.test.", Type.A, 0).toWire()).getRcode());
    thrown.assertEmpty();
  }

  private static void assertAnswers(byte[] query, byte[] answer, int i) {
    String what = "message " + i + " (" + hex(query) + ") answered " + hex(answer);
    assertTrue(answer.length >= QueryMutations.HEADER_BYTES, what);
    assertEquals(Arrays.toString(Arrays.copyOf(query, 2)), Arrays.toString(Arrays.copyOf(answer, 2)), "the query's ID: " + what);
    assertTrue((answer[2] & 0x80) != 0, "QR set: " + what);
    assertTrue(HEADER_RCODES.contains(answer[3] & 0xF), "a DNS response code: " + what);
  }

  private static String hex(byte[] bytes) {
    return QueryMutations.hex(bytes);
  }
}
