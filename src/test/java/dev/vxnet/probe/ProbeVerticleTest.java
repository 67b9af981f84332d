package dev.vxnet.probe;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.fetch.client.Origin;
import dev.vxnet.support.Http;
import dev.vxnet.support.PrometheusText;
import dev.vxnet.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kotlin prober against real targets: a listening and a closed TCP port, a name the in-JVM DNS server knows and
 * one it does not (through the real resolver), a local origin's found and missing paths (through the real fetcher);
 * its results on the event bus and its counters in the stats and on /metrics.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProbeVerticleTest {

  @Test
  void probesEveryTargetPublishesResultsAndCounts() throws Exception {
    Vertx peers = Vertx.vertx();
    try {
      TestDnsServer dns = TestDnsServer.start(peers, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
      Origin origin = Origin.plain(peers).await(30, TimeUnit.SECONDS);
      int echo = TestNode.freePort();
      int closed = TestNode.freePort();
      String base = "http://127.0.0.1:" + origin.port();
      List<String> targets = List.of("tcp://127.0.0.1:" + echo, "tcp://127.0.0.1:" + closed, "dns:www.vxnet.test/AAAA",
        "dns:nothing.vxnet.test", base + "/hello", base + "/missing");
      try (TestNode node = TestNode.startWithMetrics(TestNode.only("tcp", "dns", "fetch", "https")
        .put("tcp", new JsonObject().put("port", echo))
        .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())))
        .put("fetch", new JsonObject().put("allow", new JsonArray().add("127.0.0.1")))
        .put("verticles", new JsonArray().add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle").put("service", "probe")
          .put("config", new JsonObject().put("targets", new JsonArray(targets)).put("interval_ms", 200)
            // a deadline a loaded machine meets (the first fetch warms the client up); timeouts are not what this test checks
            .put("timeout_ms", 15_000)
            .put("address", "test.probes")))))) {
        Map<String, JsonObject> results = new ConcurrentHashMap<>();
        node.vertx.eventBus().<JsonObject>consumer("test.probes", message -> results.put(message.body().getString("target"), message.body()))
          .completion().await(10, TimeUnit.SECONDS);
        dev.vxnet.support.Await.until("a result for every target", java.time.Duration.ofSeconds(30), () -> results.size() == targets.size());

        JsonObject up = results.get(targets.get(0));
        assertTrue(up.getBoolean("ok"), up.encode());
        assertEquals("tcp", up.getString("kind"));
        assertTrue(up.getLong("elapsed_ms") >= 0 && up.getString("node") != null && up.getString("at") != null, up.encode());
        JsonObject down = results.get(targets.get(1));
        assertFalse(down.getBoolean("ok"), down.encode());
        assertEquals("CONNECT", down.getJsonObject("error").getString("code"), down.encode());
        JsonObject name = results.get(targets.get(2));
        assertTrue(name.getBoolean("ok"), name.encode());
        assertEquals(new JsonArray().add(TestZone.WWW_V6), name.getJsonArray("answers"));
        JsonObject nxdomain = results.get(targets.get(3));
        assertFalse(nxdomain.getBoolean("ok"), nxdomain.encode());
        assertEquals("NXDOMAIN", nxdomain.getString("rcode"));
        assertEquals(200, results.get(targets.get(4)).getInteger("status"), results.get(targets.get(4)).encode());
        assertTrue(results.get(targets.get(4)).getBoolean("ok"));
        assertEquals(404, results.get(targets.get(5)).getInteger("status"));
        assertFalse(results.get(targets.get(5)).getBoolean("ok"));

        JsonObject counters = node.counters("probe");
        assertTrue(counters.getLong("rounds") >= 1, counters.encode());
        assertEquals(counters.getLong("probes"), counters.getLong("ok") + counters.getLong("failed"), counters.encode());
        assertTrue(counters.getLong("ok") >= 3 && counters.getLong("failed") >= 3, counters.encode());
        // the same counters on /metrics (docs/polyglot.md): each at least what /api/stats said a moment before
        PrometheusText scraped = PrometheusText.scrape(new Http(node.vertx), node.port("https"));
        Map<String, String> probe = Map.of("service", "probe");
        assertTrue(scraped.sum("vxnet_probe_ok_probes_total", probe) >= counters.getLong("ok"), scraped.toString());
        assertTrue(scraped.sum("vxnet_probe_failed_probes_total", probe) >= counters.getLong("failed"), scraped.toString());
        assertTrue(scraped.sum("vxnet_probe_rounds_total", probe) >= 1, scraped.toString());
      }
    } finally {
      peers.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void targetsAreCheckedAndNamed() {
    assertEquals("tcp", ProbeTarget.parse("tcp://127.0.0.1:8888").getKind());
    assertEquals("dns", ProbeTarget.parse("dns:example.com/MX").getKind());
    assertEquals("url", ProbeTarget.parse("https://example.com/").getKind());
    assertEquals("\"ftp://x\": expected tcp://host:port, dns:name[/TYPE], or an http:// or https:// URL",
      assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse("ftp://x")).getMessage());
    assertEquals("\"tcp://127.0.0.1\": expected tcp://host:port with a port from 1 to 65535",
      assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse("tcp://127.0.0.1")).getMessage());
  }

  @Test
  void aBadConfigStopsTheStartNamingTheKey() {
    Exception failure = assertThrows(Exception.class, () -> TestNode.start(TestNode.only("tcp").put("verticles", new JsonArray()
      .add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle").put("config", new JsonObject()
        .put("targets", new JsonArray().add("tcp://127.0.0.1:1").add("gopher://x")).put("interval_ms", 5))))));
    assertEquals("verticles[0] (dev.vxnet.probe.ProbeVerticle): config.interval_ms: expected an integer from 100 to 3600000, got 5",
      failure.getMessage());
    Exception target = assertThrows(Exception.class, () -> TestNode.start(TestNode.only("tcp").put("verticles", new JsonArray()
      .add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle").put("config", new JsonObject()
        .put("targets", new JsonArray().add("gopher://x")))))));
    assertEquals("verticles[0] (dev.vxnet.probe.ProbeVerticle): config.targets[0]: \"gopher://x\": expected tcp://host:port, "
      + "dns:name[/TYPE], or an http:// or https:// URL", target.getMessage());
  }
}
