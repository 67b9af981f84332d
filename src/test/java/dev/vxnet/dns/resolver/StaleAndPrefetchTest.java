package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.net.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.vxnet.dns.resolver.DnsResolverVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serve-stale (RFC 8767) and prefetch against a real upstream whose records live a few seconds: the test waits, with
 * a deadline, for the cache to reach the state it checks.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaleAndPrefetchTest {

  private Vertx vertx;
  private TestDnsServer upstream;

  @AfterEach
  void stop() throws Exception {
    await(upstream.close());
  }

  private void start(Vertx vertx, long ttl, JsonObject config) throws Exception {
    this.vertx = vertx;
    upstream = await(TestDnsServer.start(vertx, new TestZone(ttl, 3_600, 60)));
    await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(DnsResolverVerticleTest.testConfig(
      config.put("upstreams", new JsonArray().add(upstream.address())).put("timeout_ms", 5_000)))));
  }

  private JsonObject ask(String name) throws Exception {
    return await(ServiceCall.request(vertx, Addresses.DNS_RESOLVE, new JsonObject().put("name", name), 10_000));
  }

  /** Asks {@code name} every 50 ms until the reply satisfies {@code condition} (at most 10 s). */
  private JsonObject askUntil(String name, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject reply = ask(name);
    while (!condition.test(reply) && System.nanoTime() < deadline) {
      await(Future.future(done -> vertx.setTimer(50, id -> done.complete())));
      reply = ask(name);
    }
    assertTrue(condition.test(reply), reply.encode());
    return reply;
  }

  private JsonObject counters() throws Exception {
    await(StatsCollector.registerManifest(vertx, new JsonObject().put("dns", 1)));
    return await(StatsCollector.collect(vertx, 2_000)).getJsonObject("totals").getJsonObject("dns").getJsonObject("counters");
  }

  private static long ttl(JsonObject reply) {
    return reply.getJsonArray("answers").getJsonObject(0).getLong("ttl");
  }

  @Test
  void whenEveryUpstreamFailsAnExpiredAnswerIsServedStaleWithTtl30AndAnExtendedError(Vertx vertx) throws Exception {
    start(vertx, 1, new JsonObject().put("stale_max_s", 60).put("prefetch_percent", 0));
    assertFalse(ask("www.vxnet.test").getBoolean("cached"));
    upstream.mode(TestDnsServer.Mode.SERVFAIL);
    JsonObject stale = askUntil("www.vxnet.test", reply -> reply.getBoolean("stale", false));
    assertTrue(stale.getBoolean("cached"));
    assertEquals(30L, ttl(stale), "RFC 8767 section 4");
    assertEquals(2, stale.getJsonArray("answers").size());

    Message answer = WireClient.udp(Listening.port(vertx, DnsResolverVerticle.DO53),
      WireClient.query(9, "www.vxnet.test.", Type.A, 1232).toWire());
    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertTrue(answer.getSection(Section.ANSWER).stream().allMatch(r -> r.getTTL() == 30));
    ExtendedErrorCodeOption extended = (ExtendedErrorCodeOption) answer.getOPT().getOptions().get(0);
    assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, extended.getErrorCode());
    assertTrue(counters().getLong("stale_answers") >= 2);

    upstream.mode(TestDnsServer.Mode.ANSWER);
    JsonObject fresh = askUntil("www.vxnet.test", reply -> !reply.getBoolean("stale"));
    assertEquals(1L, ttl(fresh), "answered by the upstream again");
  }

  @Test
  void withoutServeStaleAFailureIsAFailure(Vertx vertx) throws Exception {
    start(vertx, 1, new JsonObject().put("stale_max_s", 0));
    ask("www.vxnet.test");
    upstream.mode(TestDnsServer.Mode.SERVFAIL);
    JsonObject failed = askUntil("www.vxnet.test", reply -> reply.containsKey("error"));
    assertEquals("UPSTREAM_FAILED", failed.getJsonObject("error").getString("code"));
  }

  @Test
  void aPopularEntryIsRefreshedBeforeItExpires(Vertx vertx) throws Exception {
    start(vertx, 4, new JsonObject().put("prefetch_percent", 50));
    assertFalse(ask("www.vxnet.test").getBoolean("cached"));
    // hits while the entry has more than half of its 4 s left do nothing; the first one at 2 s or less refreshes it
    askUntil("www.vxnet.test", reply -> upstream.queries() == 2);
    JsonObject refreshed = askUntil("www.vxnet.test", reply -> ttl(reply) >= 3);
    assertTrue(refreshed.getBoolean("cached"), "the refresh went into the cache");
    JsonObject counters = counters();
    assertEquals(1L, counters.getLong("prefetches"));
    assertEquals(1L, counters.getLong("cache_misses"), "every question after the first was a hit");
    assertEquals(0L, counters.getLong("stale_answers"));
  }
}
