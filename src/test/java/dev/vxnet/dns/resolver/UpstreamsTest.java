package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.https.TestCertificates;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.vxnet.dns.resolver.DnsResolverVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the resolver picks and watches its upstreams, over the event bus against real DNS servers of this JVM: failover
 * (a closed port at once, a silent server after the timeout), health (marked down, skipped, probed, back), the three
 * strategies, and the encrypted upstreams (DoT and DoH with the certificate checked against the name, and a pin).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamsTest {

  /** A first TLS handshake of the JVM took seconds on the loaded development machine. */
  private static final int TLS_TIMEOUT_MS = 15_000;

  private Vertx vertx;
  private final List<TestDnsServer> servers = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  @AfterEach
  void stopServers() throws Exception {
    for (TestDnsServer server : servers) {
      await(server.close());
    }
  }

  private TestDnsServer server() throws Exception {
    return track(TestDnsServer.start(vertx, new TestZone(300, 3_600, 60)));
  }

  private TestDnsServer track(Future<TestDnsServer> started) throws Exception {
    TestDnsServer server = await(started);
    servers.add(server);
    return server;
  }

  private void deploy(JsonObject config) throws Exception {
    await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(DnsResolverVerticleTest.testConfig(config))));
  }

  private static JsonObject upstreams(String... upstreams) {
    return new JsonObject().put("upstreams", new JsonArray(List.of(upstreams)));
  }

  private JsonObject ask(String name) throws Exception {
    return await(ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", name).put("type", "A"), 20_000));
  }

  private JsonObject upstreamCounters(String upstream) throws Exception {
    await(StatsCollector.registerManifest(vertx, new JsonObject().put("dns", 1)));
    return await(StatsCollector.collect(vertx, 2_000)).getJsonObject("totals").getJsonObject("dns").getJsonObject("counters")
      .getJsonObject("upstreams").getJsonObject(upstream);
  }

  /** Polls the upstream's counters until {@code condition} holds (at most 10 s): background probes take their time. */
  private JsonObject awaitCounters(String upstream, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject counters = upstreamCounters(upstream);
    while (!condition.test(counters) && System.nanoTime() < deadline) {
      await(Future.future(done -> vertx.setTimer(50, id -> done.complete())));
      counters = upstreamCounters(upstream);
    }
    assertTrue(condition.test(counters), upstream + ": " + counters.encode());
    return counters;
  }

  /** A UDP port of 127.0.0.1 where nothing listens: bound, then closed. */
  private static String closedPort() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** Issue 9 row 15: a closed port answers with ICMP port unreachable; that is a failure at once, and remembered. */
  @Test
  void aClosedPortFailsOverAtOnceAndIsRememberedDown() throws Exception {
    String closed = closedPort();
    TestDnsServer server = server();
    deploy(upstreams(closed, server.address()).put("timeout_ms", 10_000).put("upstream_retry_ms", 3_600_000));
    long started = System.nanoTime();
    assertEquals(server.address(), ask("www.vxnet.test").getString("upstream"));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertTrue(elapsedMs < 5_000, "failed over in " + elapsedMs + " ms, not after the 10 s timeout");
    JsonObject down = upstreamCounters(closed);
    assertEquals(1L, down.getLong("down"), down.encode());
    assertEquals(1L, down.getLong("marked_down"));
    assertEquals(1L, down.getLong("failures"));
    ask("mail.vxnet.test");
    assertEquals(1L, upstreamCounters(closed).getLong("queries"), "a down upstream is skipped while another is up");
  }

  @Test
  void aSilentUpstreamCostsTheTimeoutUntilItIsMarkedDownThenIsProbedBack() throws Exception {
    TestDnsServer silent = server().mode(TestDnsServer.Mode.DROP);
    TestDnsServer server = server();
    deploy(upstreams(silent.address(), server.address()).put("timeout_ms", 300).put("upstream_down_after", 2)
      .put("upstream_retry_ms", 200));
    for (String name : List.of("www.vxnet.test", "mail.vxnet.test")) {
      long started = System.nanoTime();
      assertEquals(server.address(), ask(name).getString("upstream"));
      assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(300), "waited for the silent one");
    }
    awaitCounters(silent.address(), c -> c.getLong("down") == 1 && c.getLong("marked_down") == 1 && c.getLong("failures") == 2);
    ask("ns1.vxnet.test");
    assertEquals(2L, upstreamCounters(silent.address()).getLong("queries"), "skipped once down");
    JsonObject probing = awaitCounters(silent.address(), c -> c.getLong("probes") >= 1);
    assertEquals(1L, probing.getLong("down"), "a probe without an answer leaves it down");
    silent.mode(TestDnsServer.Mode.ANSWER);
    awaitCounters(silent.address(), c -> c.getLong("down") == 0);
    assertEquals(silent.address(), ask("v4only.vxnet.test").getString("upstream"), "back first in line");
  }

  @Test
  void roundRobinSpreadsQuestionsEvenly() throws Exception {
    TestDnsServer a = server();
    TestDnsServer b = server();
    deploy(upstreams(a.address(), b.address()).put("upstream_strategy", "round_robin"));
    for (int i = 0; i < 10; i++) {
      ask("name" + i + ".vxnet.test");
    }
    assertEquals(List.of(5, 5), List.of(a.queries(), b.queries()));
  }

  @Test
  void fastestPrefersTheFastOneAndProbesTheFailedOne() throws Exception {
    TestDnsServer slow = server().slow(300);
    TestDnsServer fast = server();
    deploy(upstreams(slow.address(), fast.address()).put("upstream_strategy", "fastest").put("timeout_ms", 2_000)
      .put("upstream_down_after", 1).put("upstream_retry_ms", 200));
    for (int i = 0; i < 10; i++) {
      ask("name" + i + ".vxnet.test");
    }
    assertEquals(1, slow.queries(), "asked once, to measure it");
    assertEquals(9, fast.queries());
    assertTrue(upstreamCounters(slow.address()).getLong("latency_us") > upstreamCounters(fast.address()).getLong("latency_us"));

    fast.mode(TestDnsServer.Mode.DROP);
    assertEquals(slow.address(), ask("failover.vxnet.test").getString("upstream"));
    awaitCounters(fast.address(), c -> c.getLong("down") == 1);
    assertEquals(slow.address(), ask("while-down.vxnet.test").getString("upstream"));
    fast.mode(TestDnsServer.Mode.ANSWER);
    awaitCounters(fast.address(), c -> c.getLong("down") == 0 && c.getLong("probes") >= 1);
    assertEquals(fast.address(), ask("back.vxnet.test").getString("upstream"));
  }

  /** The test CA's server certificate is for localhost and 127.0.0.1. */
  private TestDnsServer tlsServer(boolean https) throws Exception {
    TestCertificates certificates = TestCertificates.get();
    PemKeyCertOptions certificate = new PemKeyCertOptions().setCertPath(certificates.serverCertPem.toString())
      .setKeyPath(certificates.serverKeyPem.toString());
    TestZone zone = new TestZone(300, 3_600, 60);
    return track(https ? TestDnsServer.startHttps(vertx, zone, certificate) : TestDnsServer.startTls(vertx, zone, certificate));
  }

  private static String pin() throws Exception {
    try (InputStream in = Files.newInputStream(TestCertificates.get().serverCertPem)) {
      byte[] spki = CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey().getEncoded();
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }
  }

  @Test
  void dnsOverTlsUpstreamVerifiesTheNameAndPipelinesOnOneConnection() throws Exception {
    TestDnsServer dot = tlsServer(false);
    String upstream = "tls://localhost:" + dot.port() + "#ip=127.0.0.1&pin=" + pin();
    deploy(upstreams(upstream).put("upstream_ca_path", TestCertificates.get().caPem.toString()).put("timeout_ms", TLS_TIMEOUT_MS));
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (String name : List.of("www.vxnet.test", "mail.vxnet.test", "ns1.vxnet.test", "v4only.vxnet.test")) {
      answers.add(ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", name), 20_000));
    }
    for (Future<JsonObject> answer : answers) {
      assertEquals("tls://localhost:" + dot.port(), await(answer).getString("upstream"), await(answer).encode());
    }
    assertEquals(4, dot.queries());
    assertEquals(1, dot.connections(), "every query on one TLS connection");
  }

  @Test
  void anEncryptedUpstreamWithAnotherNameOrKeyIsRefused() throws Exception {
    TestDnsServer dot = tlsServer(false);
    TestDnsServer plain = server();
    String wrongName = "tls://dns.vxnet.test:" + dot.port() + "#ip=127.0.0.1";
    String wrongPin = "tls://localhost:" + dot.port() + "#ip=127.0.0.1&pin=" + "A".repeat(43) + "=";
    JsonObject config = upstreams(wrongName, wrongPin, plain.address()).put("upstream_ca_path", TestCertificates.get().caPem.toString())
      .put("timeout_ms", TLS_TIMEOUT_MS);
    String deployment = await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions()
      .setConfig(DnsResolverVerticleTest.testConfig(config))));
    assertEquals(plain.address(), ask("www.vxnet.test").getString("upstream"));
    assertEquals(0, dot.queries(), "no query reached a server that failed the check");
    await(vertx.undeploy(deployment));
    deploy(upstreams(wrongName, wrongPin).put("upstream_ca_path", TestCertificates.get().caPem.toString()).put("timeout_ms", TLS_TIMEOUT_MS));
    JsonObject failed = ask("other.vxnet.test");
    String message = failed.getJsonObject("error", new JsonObject()).getString("message", failed.encode());
    assertTrue(message.contains("tls://dns.vxnet.test:" + dot.port() + ": TLS handshake failed"), message);
    assertTrue(message.contains("tls://localhost:" + dot.port() + ": public key pin mismatch: the server's key has SHA-256 " + pin()
      + ", pinned AAAA"), message);
    assertEquals(0, dot.queries());
  }

  @Test
  void dnsOverHttpsUpstreamAnswers() throws Exception {
    TestDnsServer doh = tlsServer(true);
    String upstream = "https://localhost:" + doh.port() + "/dns-query#ip=127.0.0.1&pin=" + pin();
    deploy(upstreams(upstream).put("upstream_ca_path", TestCertificates.get().caPem.toString()).put("timeout_ms", TLS_TIMEOUT_MS));
    JsonObject answer = ask("www.vxnet.test");
    assertTrue(answer.containsKey("answers"), answer.encode());
    assertEquals(List.of(TestZone.WWW_V4, TestZone.WWW_V4_SECOND),
      answer.getJsonArray("answers").stream().map(a -> ((JsonObject) a).getString("data")).toList());
    assertEquals("https://localhost:" + doh.port() + "/dns-query", answer.getString("upstream"));
    ask("mail.vxnet.test");
    assertEquals(2, doh.queries());
    assertEquals(1, doh.connections(), "one HTTP/2 connection");
  }
}
