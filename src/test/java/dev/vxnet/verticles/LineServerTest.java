package dev.vxnet.verticles;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.fetch.client.Origin;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Groovy line server (verticles/groovy/line_server.groovy) deployed from the {@code verticles} section with two
 * instances, on a real port, answering through the real resolver (with an in-JVM DNS server upstream) and fetcher
 * (with a local origin allowed), and counted in the stats like a Java service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LineServerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx peers;
  private TestDnsServer dns;
  private Origin origin;
  private TestNode node;
  private int port;

  @BeforeAll
  void start() throws Exception {
    peers = Vertx.vertx();
    dns = TestDnsServer.start(peers, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
    origin = Origin.plain(peers).await(30, TimeUnit.SECONDS);
    port = TestNode.freePort();
    node = TestNode.start(TestNode.only("dns", "fetch")
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())))
      .put("fetch", new JsonObject().put("allow", new JsonArray().add("127.0.0.1")))
      .put("verticles", new JsonArray().add(new JsonObject().put("name", "groovy:verticles/groovy/line_server.groovy")
        .put("service", "lines").put("instances", 2)
        .put("config", new JsonObject().put("port", port).put("max_line_bytes", 64)))));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    peers.close().await(30, TimeUnit.SECONDS);
  }

  private String ask(LineClient client, String line) throws Exception {
    client.send(line);
    return client.next();
  }

  @Test
  void pingTimeHelpAndQuit() throws Exception {
    try (LineClient client = new LineClient(port)) {
      assertEquals("PONG", ask(client, "PING"));
      assertEquals("PONG", ask(client, "ping\r"), "commands in any case, CRLF line ends");
      String time = ask(client, "TIME");
      assertTrue(time.startsWith("TIME "), time);
      assertTrue(Duration.between(Instant.parse(time.substring(5)), Instant.now()).abs().toSeconds() < 60, time);
      assertTrue(ask(client, "HELP").startsWith("COMMANDS PING, TIME, RESOLVE name [type], FETCH url"));
      assertEquals("BYE", ask(client, "QUIT"));
      assertEquals(null, client.next(), "the server closed the connection");
    }
  }

  @Test
  void resolveAsksTheResolverService() throws Exception {
    try (LineClient client = new LineClient(port)) {
      assertEquals("OK NOERROR " + TestZone.WWW_V4 + " " + TestZone.WWW_V4_SECOND, ask(client, "RESOLVE www.vxnet.test"));
      assertEquals("OK NOERROR " + TestZone.WWW_V6, ask(client, "RESOLVE www.vxnet.test AAAA"));
      assertEquals("OK NXDOMAIN", ask(client, "RESOLVE nothing.vxnet.test"));
      String bad = ask(client, "RESOLVE www.vxnet.test BOGUS");
      assertTrue(bad.startsWith("ERR BAD_REQUEST type: "), "the resolver's own error, its code and message: " + bad);
      assertEquals("ERR BAD_REQUEST expected RESOLVE name [type]", ask(client, "RESOLVE"));
    }
  }

  @Test
  void fetchAsksTheFetcherServiceAndItsGuard() throws Exception {
    try (LineClient client = new LineClient(port)) {
      assertEquals("OK 200 17 text/plain", ask(client, "FETCH http://127.0.0.1:" + origin.port() + "/hello"));
      assertEquals("OK 404 " + ("no such path /nope".length()) + " -", ask(client, "FETCH http://127.0.0.1:" + origin.port() + "/nope"));
      String denied = ask(client, "FETCH http://127.0.0.2:" + origin.port() + "/hello");
      assertTrue(denied.startsWith("ERR DENIED "), denied);
      assertEquals("ERR BAD_REQUEST expected FETCH url", ask(client, "FETCH a b"));
    }
  }

  @Test
  void badInputGetsAnErrLineAndRequestsAreAnsweredInOrder() throws Exception {
    try (LineClient client = new LineClient(port)) {
      // pipelined: a slow request first, answers still in order
      client.send("RESOLVE www.vxnet.test\nBOGUS thing\nPING");
      assertTrue(client.next().startsWith("OK NOERROR "));
      assertEquals("ERR BAD_REQUEST unknown command BOGUS (commands: PING, TIME, RESOLVE name [type], FETCH url, HELP, QUIT)",
        client.next());
      assertEquals("PONG", client.next());
      assertEquals("ERR BAD_REQUEST PING takes no argument", ask(client, "PING now"));
    }
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("PING " + "x".repeat(100) + "\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      assertEquals("ERR BAD_REQUEST line longer than 64 bytes\n", new String(in.readAllBytes(), StandardCharsets.UTF_8),
        "one ERR line, then the server closes");
    }
  }

  @Test
  void twoInstancesShareThePortAndBothReportCounters() throws Exception {
    for (int i = 0; i < 4; i++) {
      try (LineClient client = new LineClient(port)) {
        assertEquals("PONG", ask(client, "PING"));
      }
    }
    JsonObject stats = node.stats();
    JsonObject lines = stats.getJsonArray("nodes").getJsonObject(0).getJsonObject("services").getJsonObject("lines");
    assertEquals("ok", lines.getString("status"), stats.encodePrettily());
    assertEquals(2, lines.getInteger("instances_answered"));
    assertTrue(lines.getJsonArray("instances").stream().map(JsonObject.class::cast)
      .allMatch(instance -> instance.getJsonObject("counters").getLong("connections") > 0), "round robin: " + lines.encode());
    assertTrue(lines.getJsonObject("counters").getLong("lines") >= 4, lines.encode());
    assertTrue(stats.getBoolean("complete"), stats.encodePrettily());
  }
}
