package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.config.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver service over the event bus against real DNS servers in this JVM, on 127.0.0.1 only. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public class DnsResolverVerticleTest {

  public static final long TTL = 300;
  public static final long SOA_TTL = 3_600;
  public static final long SOA_MINIMUM = 60;
  /** Per-upstream timeout of the failover tests, which wait it out once per silent upstream. */
  static final int TIMEOUT_MS = 1_500;
  /** Per-upstream timeout elsewhere: generous, so that a loaded machine cannot turn a slow answer into a failover. */
  static final int RELAXED_TIMEOUT_MS = 5_000;

  private Vertx vertx;
  private TestDnsServer server;
  private final List<TestDnsServer> extraServers = new ArrayList<>();

  @BeforeEach
  void startServer(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = await(TestDnsServer.start(vertx, new TestZone(TTL, SOA_TTL, SOA_MINIMUM)));
  }

  @AfterEach
  void stopServers() throws Exception {
    await(server.close());
    for (TestDnsServer extra : extraServers) {
      await(extra.close());
    }
  }

  public static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(10, TimeUnit.SECONDS);
  }

  private TestDnsServer anotherServer() throws TimeoutException {
    TestDnsServer extra = await(TestDnsServer.start(vertx, new TestZone(TTL, SOA_TTL, SOA_MINIMUM)));
    extraServers.add(extra);
    return extra;
  }

  /** Deploys the service; without a {@code timeout_ms} in {@code config}, with the relaxed one. */
  private String deploy(JsonObject config) throws TimeoutException {
    JsonObject complete = config.containsKey("timeout_ms") ? config : config.copy().put("timeout_ms", RELAXED_TIMEOUT_MS);
    return await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(testConfig(complete))));
  }

  /**
   * {@code config} with the listeners the tests of the event-bus face do not use kept off the default ports: Do53 on a
   * free port of 127.0.0.1, DoT off (its self-signed certificate takes a second to make), unless {@code config} says.
   */
  public static JsonObject testConfig(JsonObject config) {
    return new JsonObject().put("do53_host", "127.0.0.1").put("do53_port", 0).put("dot_enabled", false).put("dot_port", 0)
      .mergeIn(config);
  }

  private String deploy(String upstream) throws TimeoutException {
    return deploy(new JsonObject().put("upstreams", new JsonArray().add(upstream)));
  }

  private String deployForFailover(String... upstreams) throws TimeoutException {
    return deploy(new JsonObject().put("upstreams", new JsonArray(List.of(upstreams))).put("timeout_ms", TIMEOUT_MS));
  }

  private JsonObject ask(JsonObject request) throws TimeoutException {
    return await(ServiceCall.request(vertx, Addresses.DNS_RESOLVE, request, 10_000));
  }

  private JsonObject ask(String name, String type) throws TimeoutException {
    return ask(new JsonObject().put("name", name).put("type", type));
  }

  private static List<String> data(JsonObject reply) {
    return reply.getJsonArray("answers").stream().map(a -> ((JsonObject) a).getString("data")).toList();
  }

  private static JsonObject record(String name, String type, long ttl, String data) {
    return new JsonObject().put("name", name).put("type", type).put("ttl", ttl).put("data", data);
  }

  @Test
  void answersEveryTypeWithTheReplyFields() throws Exception {
    deploy(server.address());
    JsonObject a = ask("www.vxnet.test", "A");
    assertEquals(new JsonObject()
      .put("name", "www.vxnet.test.")
      .put("type", "A")
      .put("rcode", "NOERROR")
      .put("status", 0)
      .put("answers", new JsonArray()
        .add(record("www.vxnet.test.", "A", TTL, TestZone.WWW_V4))
        .add(record("www.vxnet.test.", "A", TTL, TestZone.WWW_V4_SECOND)))
      .put("authority", new JsonArray())
      .put("cached", false)
      .put("stale", false)
      .put("upstream", server.address()), a);

    assertEquals(List.of(TestZone.WWW_V6), data(ask("www.vxnet.test", "AAAA")));
    assertEquals(List.of("www.vxnet.test."), data(ask("alias.vxnet.test", "CNAME")));
    assertEquals(List.of("www.vxnet.test.", TestZone.WWW_V4, TestZone.WWW_V4_SECOND), data(ask("alias.vxnet.test", "A")),
      "the CNAME comes first, then the records of its target");
    assertEquals(List.of("10 mail.vxnet.test."), data(ask("vxnet.test", "MX")));
    assertEquals(List.of("\"hello world\" \"second string\""), data(ask("txt.vxnet.test", "TXT")));
    assertEquals(List.of("ns1.vxnet.test."), data(ask("vxnet.test", "NS")));
    assertEquals(List.of("10 60 5060 sip.vxnet.test."), data(ask("_sip._tcp.vxnet.test", "SRV")));
    assertEquals(List.of("ns1.vxnet.test. hostmaster.vxnet.test. 2026010101 3600 600 86400 " + SOA_MINIMUM),
      data(ask("vxnet.test", "SOA")));
    JsonObject ptr4 = ask(TestZone.WWW_V4, "PTR");
    assertEquals("10.2.0.192.in-addr.arpa.", ptr4.getString("name"));
    assertEquals(List.of("www.vxnet.test."), data(ptr4));
    JsonObject ptr6 = ask(TestZone.WWW_V6, "PTR");
    assertTrue(ptr6.getString("name").endsWith(".8.b.d.0.1.0.0.2.ip6.arpa."), ptr6.getString("name"));
    assertEquals(List.of("www.vxnet.test."), data(ptr6));
    assertEquals(List.of("www.vxnet.test."), data(ask("10.2.0.192.in-addr.arpa", "PTR")));
    assertEquals(List.of(TestZone.WWW_V4, TestZone.WWW_V4_SECOND), data(ask("www.vxnet.test", "1")), "type by number");
    assertEquals(11, server.udpQueries(), "each of the 11 distinct questions went to the upstream once");
  }

  @Test
  void addrModeGivesIpv4AndIpv6Together() throws Exception {
    deploy(server.address());
    JsonObject both = ask("www.vxnet.test", "ADDR");
    assertEquals("ADDR", both.getString("type"));
    assertEquals("NOERROR", both.getString("rcode"));
    assertEquals(new JsonArray().add(TestZone.WWW_V4).add(TestZone.WWW_V4_SECOND).add(TestZone.WWW_V6), both.getJsonArray("addresses"));
    assertEquals(List.of("A", "A", "AAAA"), both.getJsonArray("answers").stream().map(r -> ((JsonObject) r).getString("type")).toList());
    assertEquals(server.address(), both.getString("upstream"));

    JsonObject viaAlias = ask("alias.vxnet.test", "ADDR");
    assertEquals(List.of("www.vxnet.test.", TestZone.WWW_V4, TestZone.WWW_V4_SECOND, TestZone.WWW_V6), data(viaAlias),
      "the CNAME both answers carry is listed once");

    JsonObject v4only = ask("v4only.vxnet.test", "ADDR");
    assertEquals("NOERROR", v4only.getString("rcode"));
    assertEquals(new JsonArray().add("192.0.2.40"), v4only.getJsonArray("addresses"));

    JsonObject missing = ask("missing.vxnet.test", "ADDR");
    assertEquals("NXDOMAIN", missing.getString("rcode"));
    assertEquals(new JsonArray(), missing.getJsonArray("addresses"));
    assertTrue(ask("www.vxnet.test", "ADDR").getBoolean("cached"));
  }

  @Test
  void theSecondRequestIsServedFromTheCacheWithASmallerTtl() throws Exception {
    deploy(new JsonObject().put("upstreams", new JsonArray().add(server.address())).put("instances", 2));
    JsonObject first = ask("www.vxnet.test", "A");
    assertFalse(first.getBoolean("cached"));
    assertEquals(TTL, first.getJsonArray("answers").getJsonObject(0).getLong("ttl"));
    JsonObject second = ask("www.vxnet.test", "A");
    assertTrue(second.getBoolean("cached"), "the other instance answers from the same cache");
    assertEquals(server.address(), second.getString("upstream"), "the upstream that gave the cached answer");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonObject later = second;
    while (later.getJsonArray("answers").getJsonObject(0).getLong("ttl") == TTL && System.nanoTime() < deadline) {
      await(vertx.timer(100));
      later = ask("www.vxnet.test", "A");
      assertTrue(later.getBoolean("cached"));
    }
    long ttl = later.getJsonArray("answers").getJsonObject(0).getLong("ttl");
    assertTrue(ttl < TTL && ttl >= TTL - 5, "TTL went down with the time spent in the cache: " + ttl);
    assertEquals(1, server.udpQueries(), "only the first request reached the upstream");
  }

  @Test
  void concurrentSameQuestionsShareOneUpstreamQuery() throws Exception {
    deploy(server.address());
    server.slow(300);
    List<Future<JsonObject>> replies = List.of(
      ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", "mail.vxnet.test"), 10_000),
      ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", "MAIL.vxnet.test"), 10_000));
    await(Future.all(replies));
    for (Future<JsonObject> reply : replies) {
      assertEquals(List.of("192.0.2.25"), data(reply.result()));
      assertFalse(reply.result().getBoolean("cached"));
    }
    assertEquals(1, server.udpQueries(), "the second asker waited for the first one's upstream query");
  }

  @Test
  void questionsBeyondMaxInFlightAreRefusedAtOnce() throws Exception {
    deploy(new JsonObject().put("upstreams", new JsonArray().add(server.address())).put("max_in_flight", 1));
    server.slow(500);
    List<Future<JsonObject>> replies = List.of(
      ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", "mail.vxnet.test"), 10_000),
      ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", "www.vxnet.test"), 10_000));
    await(Future.all(replies));
    List<String> outcomes = replies.stream()
      .map(reply -> reply.result().containsKey("error") ? reply.result().getJsonObject("error").getString("code") : "NOERROR")
      .sorted().toList();
    assertEquals(List.of("BUSY", "NOERROR"), outcomes);
    assertEquals(1, server.udpQueries(), "the refused question was not sent");
    assertEquals("NOERROR", ask("www.vxnet.test", "A").getString("rcode"), "free again once the first one is answered");
  }

  @Test
  void negativeAnswersAreCachedBySoaMinimum() throws Exception {
    deploy(server.address());
    JsonObject nxdomain = ask("missing.vxnet.test", "A");
    assertEquals("NXDOMAIN", nxdomain.getString("rcode"));
    assertEquals(3, nxdomain.getInteger("status"));
    assertEquals(new JsonArray(), nxdomain.getJsonArray("answers"));
    JsonObject soa = nxdomain.getJsonArray("authority").getJsonObject(0);
    assertEquals("SOA", soa.getString("type"));
    assertEquals(SOA_MINIMUM, soa.getLong("ttl"), "min(SOA TTL, SOA MINIMUM)");
    assertTrue(ask("missing.vxnet.test", "A").getBoolean("cached"));

    JsonObject nodata = ask("v4only.vxnet.test", "AAAA");
    assertEquals("NOERROR", nodata.getString("rcode"));
    assertEquals(new JsonArray(), nodata.getJsonArray("answers"));
    assertEquals("SOA", nodata.getJsonArray("authority").getJsonObject(0).getString("type"));
    assertTrue(ask("v4only.vxnet.test", "AAAA").getBoolean("cached"));
    assertEquals(2, server.udpQueries());
  }

  @Test
  void ttlsAreClampedByConfiguration() throws Exception {
    deploy(new JsonObject().put("upstreams", new JsonArray().add(server.address())).put("max_ttl", 100).put("negative_ttl_max", 7));
    assertEquals(100, ask("www.vxnet.test", "A").getJsonArray("answers").getJsonObject(0).getLong("ttl"));
    assertEquals(7, ask("missing.vxnet.test", "A").getJsonArray("authority").getJsonObject(0).getLong("ttl"));
    TestDnsServer other = anotherServer();
    deploy(new JsonObject().put("upstreams", new JsonArray().add(other.address())).put("min_ttl", 1_000).put("max_ttl", 2_000));
    // Both deployments answer the bus address; ask until the second one (its own cache) has answered.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonObject raised;
    do {
      raised = ask("mail.vxnet.test", "A");
    } while (!raised.getString("upstream").equals(other.address()) && System.nanoTime() < deadline);
    assertEquals(1_000, raised.getJsonArray("answers").getJsonObject(0).getLong("ttl"));
  }

  @Test
  void aSilentFirstUpstreamIsSkippedAfterTheTimeout() throws Exception {
    TestDnsServer silent = anotherServer().mode(TestDnsServer.Mode.DROP);
    deployForFailover(silent.address(), server.address());
    JsonObject reply = ask("www.vxnet.test", "A");
    assertEquals(server.address(), reply.getString("upstream"));
    assertEquals(List.of(TestZone.WWW_V4, TestZone.WWW_V4_SECOND), data(reply));
    assertEquals(1, silent.udpQueries(), "the silent upstream got the query first");
  }

  @Test
  void aDeadFirstUpstreamIsSkipped() throws Exception {
    TestDnsServer gone = anotherServer();
    String deadAddress = gone.address();
    await(gone.close());
    extraServers.remove(gone);
    deployForFailover(deadAddress, server.address());
    assertEquals(server.address(), ask("www.vxnet.test", "A").getString("upstream"));
  }

  @Test
  void servfailAndSlowUpstreamsAreSkipped() throws Exception {
    TestDnsServer failing = anotherServer().mode(TestDnsServer.Mode.SERVFAIL);
    TestDnsServer slow = anotherServer().slow(3 * TIMEOUT_MS);
    deployForFailover(failing.address(), slow.address(), server.address());
    JsonObject reply = ask("www.vxnet.test", "AAAA");
    assertEquals(server.address(), reply.getString("upstream"));
    assertEquals(List.of(TestZone.WWW_V6), data(reply));
    assertEquals(1, failing.udpQueries());
    assertEquals(1, slow.udpQueries());
  }

  @Test
  void whenAllUpstreamsFailTheErrorSaysHowEachFailed() throws Exception {
    TestDnsServer silent = anotherServer().mode(TestDnsServer.Mode.DROP);
    server.mode(TestDnsServer.Mode.SERVFAIL);
    deployForFailover(silent.address(), server.address());
    JsonObject reply = ask("www.vxnet.test", "A");
    assertEquals(new JsonObject().put("error", new JsonObject()
      .put("code", "UPSTREAM_FAILED")
      .put("message", "no upstream answered www.vxnet.test. A (tried 2): " + silent.address() + ": no answer within " + TIMEOUT_MS + " ms; "
        + server.address() + ": answered SERVFAIL")), reply);
    server.mode(TestDnsServer.Mode.ANSWER);
    assertFalse(ask("www.vxnet.test", "A").getBoolean("cached"), "a failure is not cached");
  }

  @Test
  void invalidQuestionsAreRefusedWithoutTouchingTheNetwork() throws Exception {
    deploy(server.address());
    for (JsonObject request : List.of(
      new JsonObject().put("name", ""),
      new JsonObject().put("name", "a".repeat(64) + ".vxnet.test"),
      new JsonObject().put("name", "x".repeat(250) + ".test"),
      new JsonObject().put("name", "bad name.vxnet.test"),
      new JsonObject().put("name", "www.vxnet.test").put("type", "BOGUS"),
      new JsonObject().put("type", "A"))) {
      JsonObject reply = ask(request);
      assertEquals("BAD_REQUEST", reply.getJsonObject("error").getString("code"), request.encode());
      String message = reply.getJsonObject("error").getString("message");
      assertTrue(message.startsWith("name: ") || message.startsWith("type: "), message);
    }
    JsonObject notJson = await(vertx.eventBus().<JsonObject>request(Addresses.DNS_RESOLVE, "www.vxnet.test")).body();
    assertEquals("BAD_REQUEST", notJson.getJsonObject("error").getString("code"));
    assertEquals(0, server.queries());
  }

  @Test
  void aBatchIsAnsweredInRequestOrder() throws Exception {
    deploy(new JsonObject().put("upstreams", new JsonArray().add(server.address())).put("batch_max", 4));
    JsonObject reply = ask(new JsonObject().put("queries", new JsonArray()
      .add(new JsonObject().put("name", "www.vxnet.test").put("type", "AAAA"))
      .add(new JsonObject().put("name", "bad..name"))
      .add(new JsonObject().put("name", "missing.vxnet.test"))
      .add(new JsonObject().put("name", "mail.vxnet.test"))));
    JsonArray results = reply.getJsonArray("results");
    assertEquals(4, results.size());
    assertEquals(List.of(TestZone.WWW_V6), data(results.getJsonObject(0)));
    assertEquals("queries[1].name: has an empty label (a leading dot or two dots in a row)",
      results.getJsonObject(1).getJsonObject("error").getString("message"));
    assertEquals("NXDOMAIN", results.getJsonObject(2).getString("rcode"));
    assertEquals(List.of("192.0.2.25"), data(results.getJsonObject(3)));

    JsonObject tooMany = ask(new JsonObject().put("queries", new JsonArray(List.of(
      new JsonObject().put("name", "a.test"), new JsonObject().put("name", "b.test"), new JsonObject().put("name", "c.test"),
      new JsonObject().put("name", "d.test"), new JsonObject().put("name", "e.test")))));
    assertEquals("queries: expected an array of 1 to 4 questions (dns.batch_max)", tooMany.getJsonObject("error").getString("message"));
    assertEquals("BAD_REQUEST", ask(new JsonObject().put("queries", new JsonArray())).getJsonObject("error").getString("code"));
    assertEquals(3, server.udpQueries());
  }

  @Test
  void aTruncatedAnswerIsFetchedAgainOverTcp() throws Exception {
    deploy(server.address());
    JsonObject reply = ask(TestZone.BIG_TXT_NAME, "TXT");
    assertEquals("NOERROR", reply.getString("rcode"));
    assertEquals(TestZone.BIG_TXT_STRINGS, data(reply).get(0).split("\" \"").length);
    assertEquals(1, server.udpQueries());
    assertEquals(1, server.tcpQueries());
  }

  @Test
  void theWireAnswerIsTheSameAnswerAsADnsMessage() throws Exception {
    deploy(server.address());
    JsonObject reply = ask(new JsonObject().put("name", "alias.vxnet.test").put("type", "A").put("wire", true));
    Message message = new Message(Base64.getDecoder().decode(reply.getString("wire")));
    assertEquals(0, message.getHeader().getID());
    assertEquals(Rcode.NOERROR, message.getRcode());
    assertEquals("alias.vxnet.test.", message.getQuestion().getName().toString());
    assertEquals(List.of(Type.CNAME, Type.A, Type.A), message.getSection(Section.ANSWER).stream().map(r -> r.getType()).toList());
    assertEquals(data(reply), message.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList());
  }

  @Test
  void countersReachTheStats() throws Exception {
    TestDnsServer failing = anotherServer().mode(TestDnsServer.Mode.SERVFAIL);
    deploy(new JsonObject().put("upstreams", new JsonArray().add(failing.address()).add(server.address())).put("cache_max_entries", 1));
    ask("www.vxnet.test", "A");
    ask("www.vxnet.test", "A");
    ask(TestZone.BIG_TXT_NAME, "TXT"); // over TCP after a truncated UDP answer; evicts www from the one-entry cache
    ask("bad name", "A");
    await(StatsCollector.registerManifest(vertx, new JsonObject().put("dns", 1)));
    JsonObject counters = await(StatsCollector.collect(vertx, 2_000)).getJsonObject("totals").getJsonObject("dns").getJsonObject("counters");
    for (var expected : new JsonObject().put("requests", 4L).put("bad_requests", 1L).put("cache_hits", 1L).put("cache_misses", 2L)
      .put("cache_evictions", 1L).put("cache_entries", 1L).put("upstream_queries", 4L).put("upstream_errors", 2L)
      .put("tcp_retries", 1L).put("busy", 0L).put("stale_answers", 0L).put("prefetches", 0L)) {
      assertEquals(expected.getValue(), counters.getValue(expected.getKey()), expected.getKey());
    }
    JsonObject failed = counters.getJsonObject("upstreams").getJsonObject(failing.address());
    assertEquals(2L, failed.getLong("queries"), failed.encode());
    assertEquals(2L, failed.getLong("responses"));
    assertEquals(2L, failed.getLong("rcode_errors"), "SERVFAIL twice");
    assertEquals(0L, failed.getLong("failures"));
    assertEquals(0L, failed.getLong("down"), "an upstream that answers SERVFAIL is there: not down");
    JsonObject answering = counters.getJsonObject("upstreams").getJsonObject(server.address());
    assertEquals(2L, answering.getLong("responses"), answering.encode());
    assertEquals(0L, answering.getLong("rcode_errors"));
    assertTrue(answering.getLong("latency_us_total") > 0 && answering.getLong("latency_us") > 0, answering.encode());
  }

  @Test
  void badConfigurationNamesTheKey() {
    assertEquals("dns.upstreams[1]: \"localhost:53\" is not host:port with an IP address as host (IPv6 as [addr]:port); names are not allowed in plain upstreams (expected ip:port ([ipv6]:port), tls://host[:port] or https://host[:port]/path)",
      deployFailure(new JsonObject().put("upstreams", new JsonArray().add("127.0.0.1:5353").add("localhost:53"))));
    assertEquals("dns.min_ttl: 100 is above dns.max_ttl 10",
      deployFailure(new JsonObject().put("upstreams", new JsonArray().add("127.0.0.1:5353")).put("min_ttl", 100).put("max_ttl", 10)));
    assertTrue(deployFailure(new JsonObject().put("upstreams", new JsonArray())).startsWith("dns.upstreams: empty;"));
    assertTrue(deployFailure(new JsonObject().put("timeout_ms", 0)).startsWith("dns.timeout_ms: expected an integer from 10"));
  }

  private String deployFailure(JsonObject config) {
    ExecutionException failure = assertThrows(ExecutionException.class,
      () -> vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(config))
        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(ConfigException.class, failure.getCause());
    return failure.getCause().getMessage();
  }
}
