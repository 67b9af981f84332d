package dev.vxnet.verticles;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.support.Await;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The polyglot verticles as users run them, with the packaged jar: a Groovy script alone through the launcher
 * ({@code run groovy:...}, {@code bin/vertx run x.groovy}), bad scripts failing in one line with exit status 1, the
 * shipped conf/polyglot.json with {@code -instances 2} (all three examples, their stats, undeployed on SIGTERM), and a
 * Groovy verticle on one clustered node answered by the resolver on another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolyglotIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** Deadlines a loaded machine meets: the client waits longer than the line server, which waits longer than the resolver. */
  private static final Duration ANSWER = Duration.ofSeconds(30);
  private static final int LINE_SERVER_TIMEOUT_MS = 20_000;
  private static final int DNS_TIMEOUT_MS = 10_000;
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final String LINE_SERVER = "verticles/groovy/line_server.groovy";

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestDnsServer dns;

  @BeforeAll
  void startDns() throws Exception {
    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static String ask(LineClient client, String line) throws Exception {
    client.send(line);
    return client.expect(answer -> true, "answering " + line, ANSWER);
  }

  private static void assertNoStackTrace(VxnetProcess process) {
    assertFalse(process.output().lines().anyMatch(line -> line.startsWith("\tat ") || line.contains("Exception:")), process.output());
  }

  @Test
  @Timeout(180)
  void aGroovyScriptRunsAloneThroughTheLauncherAndBinVertx() throws Exception {
    int port = TestNode.freePort();
    try (VxnetProcess alone = VxnetProcess.start("groovy-alone", JVM,
      List.of("run", "groovy:" + LINE_SERVER, "-conf", new JsonObject().put("port", port).encode()), Map.of())) {
      assertEquals(port, alone.port("lines", START));
      try (LineClient client = new LineClient(port)) {
        assertEquals("PONG", ask(client, "PING"));
        assertEquals("ERR UNAVAILABLE no service is registered at vxnet.dns.resolve on any node", ask(client, "RESOLVE www.vxnet.test"),
          "alone, without MainVerticle, there is no resolver");
      }
      alone.terminate();
      assertEquals(0, alone.exitCode(EXIT));
    }
    int other = TestNode.freePort();
    try (VxnetProcess suffix = VxnetProcess.launch("groovy-bin-vertx", List.of("bash", "bin/vertx", "run", LINE_SERVER,
      "-conf", new JsonObject().put("port", other).encode()), Map.of("JAVA_OPTS", String.join(" ", JVM)))) {
      assertEquals(other, suffix.port("lines", START));
      try (LineClient client = new LineClient(other)) {
        assertEquals("PONG", ask(client, "PING"));
      }
    }
  }

  @Test
  @Timeout(180)
  void aBadScriptOrClassFailsTheStartInOneLineWithStatus1() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.groovy"), "def x = 1\nx +* 2\n");
    try (VxnetProcess run = VxnetProcess.start("groovy-broken", JVM, List.of("run", "groovy:" + broken), Map.of())) {
      assertEquals(1, run.exitCode(START));
      run.awaitLine("^(vxnet: cannot start: |  )groovy:" + broken + ": \\S*broken\\.groovy: \\d+: .*@ line \\d+, column \\d+\\.$", WAIT);
      assertNoStackTrace(run);
    }
    int tcp = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.only("tcp").put("tcp", new JsonObject().put("port", tcp)))
      .put("verticles", new JsonArray().add(new JsonObject().put("name", LINE_SERVER))
        .add(new JsonObject().put("name", "dev.vxnet.NoSuchVerticle")));
    try (VxnetProcess node = VxnetProcess.start("verticles-unknown-class", JVM, List.of("-conf", config.encode()), Map.of())) {
      assertEquals(1, node.exitCode(START));
      node.awaitLine("^(vxnet: cannot start: |  )verticles\\[1\\]\\.name: dev\\.vxnet\\.NoSuchVerticle: no class dev\\.vxnet\\.NoSuchVerticle on the class path$", WAIT);
      assertFalse(node.output().contains(": listening on"), "checked before any port is bound:\n" + node.output());
      assertNoStackTrace(node);
    }
  }

  @Test
  @Timeout(300)
  void theShippedConfigRunsAllThreeExamplesScaledWithInstances() throws Exception {
    // conf/polyglot.json as shipped, with free ports, and targets on loopback only (no DNS or HTTP beyond this machine)
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf", "polyglot.json")));
    JsonArray verticles = shipped.getJsonArray("verticles");
    int lines = TestNode.freePort();
    int tcp = TestNode.freePort();
    verticles.getJsonObject(0).getJsonObject("config").put("port", lines).put("timeout_ms", LINE_SERVER_TIMEOUT_MS);
    verticles.getJsonObject(2).getJsonObject("config").put("interval_ms", 500)
      .put("targets", new JsonArray().add("tcp://127.0.0.1:" + tcp).add("tcp://127.0.0.1:" + lines).add("dns:www.vxnet.test"));
    JsonObject config = TestNode.config(new JsonObject()
      .put("tcp", new JsonObject().put("port", tcp))
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())).put("timeout_ms", DNS_TIMEOUT_MS)))
      .put("verticles", verticles);
    WebClient web = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    try (VxnetProcess node = VxnetProcess.start("polyglot-shipped", JVM, List.of("-conf", config.encode(), "-instances", "2"), Map.of())) {
      String manifest = node.awaitLine("started (\\{.*\\})$", START).group(1);
      JsonObject deployed = new JsonObject(manifest);
      assertEquals(2, deployed.getInteger("lines"), manifest);
      assertEquals(2, deployed.getInteger("probe"), manifest);
      assertEquals(1, deployed.getInteger("chatbot"), manifest);
      try (LineClient client = new LineClient(lines)) {
        assertEquals("OK NOERROR " + TestZone.WWW_V4 + " " + TestZone.WWW_V4_SECOND, ask(client, "RESOLVE www.vxnet.test"));
      }
      try (LineClient person = LineClient.chat(node.port("chat", START), WAIT)) {
        String probes = Await.result("the bot has heard the prober", WAIT, () -> {
          person.send("!probes");
          String answer = person.expectStartingWith("<bot> probes: ", WAIT);
          if (!answer.contains("dns:www.vxnet.test ok")) {
            throw new AssertionError(answer);
          }
          return answer;
        });
        assertTrue(probes.contains("tcp://127.0.0.1:" + lines + " ok"), probes);
      }
      int https = node.port("https", START);
      JsonObject stats = web.get(https, "127.0.0.1", "/api/stats").send().await(30, TimeUnit.SECONDS).bodyAsJsonObject();
      assertTrue(stats.getBoolean("complete"), stats.encodePrettily());
      JsonObject totals = stats.getJsonObject("totals");
      assertEquals(2, totals.getJsonObject("lines").getInteger("instances"), totals.encode());
      assertTrue(totals.getJsonObject("lines").getJsonObject("counters").getLong("resolves") >= 1, totals.encode());
      assertEquals(2, totals.getJsonObject("probe").getInteger("instances"), totals.encode());
      assertTrue(totals.getJsonObject("probe").getJsonObject("counters").getLong("ok") >= 3, totals.encode());
      assertTrue(totals.getJsonObject("chatbot").getJsonObject("counters").getLong("commands") >= 1, totals.encode());

      LineClient open = new LineClient(lines);
      node.terminate();
      assertEquals(0, node.exitCode(EXIT));
      assertEquals(null, open.next(), "undeployed on SIGTERM: the line server closed its connection");
      open.close();
    } finally {
      web.close();
    }
  }

  @Test
  @Timeout(300)
  void aGroovyVerticleOnOneNodeIsAnsweredByTheResolverOnAnother() throws Exception {
    int resolverHazelcast = TestNode.freePort();
    int edgeHazelcast = TestNode.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + resolverHazelcast).add("127.0.0.1:" + edgeHazelcast);
    int lines = TestNode.freePort();
    try (VxnetProcess resolver = VxnetProcess.start("polyglot-resolver", JVM, List.of("-cluster", "-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "resolver"))
      .put("cluster", new JsonObject().put("host", "127.0.0.1").put("hazelcast_port", resolverHazelcast).put("members", members))
      .mergeIn(TestNode.config(TestNode.only("dns")))
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())).put("timeout_ms", DNS_TIMEOUT_MS))
      .encode()), Map.of());
         VxnetProcess edge = VxnetProcess.start("polyglot-edge", JVM, List.of("-cluster", "-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "edge"))
      .put("cluster", new JsonObject().put("host", "127.0.0.1").put("hazelcast_port", edgeHazelcast).put("members", members))
      .mergeIn(TestNode.config(TestNode.only()))
      .put("verticles", new JsonArray().add(new JsonObject().put("name", "groovy:" + LINE_SERVER).put("service", "lines")
        .put("config", new JsonObject().put("port", lines).put("timeout_ms", LINE_SERVER_TIMEOUT_MS))))
      .encode()), Map.of())) {
      resolver.awaitLine("node resolver: started", START);
      edge.awaitLine("node edge: started", START);
      edge.awaitLine("2 node\\(s\\)", START);
      try (LineClient client = new LineClient(lines)) {
        // the edge has no resolver: until the resolver node's registration reaches it, the answer is UNAVAILABLE
        String answer = Await.result("the resolver on the other node answers", Duration.ofSeconds(60), () -> {
          String reply = ask(client, "RESOLVE www.vxnet.test");
          if (reply.startsWith("ERR UNAVAILABLE")) {
            throw new AssertionError(reply);
          }
          return reply;
        });
        assertEquals("OK NOERROR " + TestZone.WWW_V4 + " " + TestZone.WWW_V4_SECOND, answer);
      }
    }
  }
}
