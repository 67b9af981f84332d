package dev.vxnet.metrics;

import dev.vxnet.support.Http;
import dev.vxnet.support.PrometheusText;
import dev.vxnet.support.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics} of a whole node started by MainVerticle on a Vert.x with metrics, as the launcher makes it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MetricsTest {

  private static final Map<String, String> TCP = Map.of("service", "tcp");

  @Test
  void servicesCountersAndVertxMetricsAreScrapedOverHttpsAndPlainHttp() throws Exception {
    try (TestNode node = TestNode.startWithMetrics(new JsonObject()
      .put("node", new JsonObject().put("name", "metrics-test"))
      .put("http", new JsonObject().put("redirect", true)))) {
      Http http = new Http(node.vertx);
      int https = node.port("https");
      PrometheusText before = PrometheusText.scrape(http, https);
      assertEquals(0.0, before.sum("vxnet_tcp_received_bytes_total", TCP), before.toString());
      assertEquals(0.0, before.sum("vxnet_tcp_open_connections", TCP), "a gauge, not a counter");

      assertEquals("12345", echo(node.port("tcp"), "12345"));
      assertEquals(200, http.https(https, "/api/echo?x=1").statusCode());
      assertEquals(404, http.https(https, "/no/such/file").statusCode());

      PrometheusText after = PrometheusText.scrape(http, https);
      JsonObject tcp = node.counters("tcp");
      assertEquals(5.0, after.sum("vxnet_tcp_received_bytes_total", TCP), after.toString());
      assertEquals(tcp.getLong("bytes_in"), (long) after.sum("vxnet_tcp_received_bytes_total", TCP), "one source: /api/stats and /metrics agree");
      assertEquals(1.0, after.sum("vxnet_tcp_connections_total", Map.of("service", "tcp", "node", "metrics-test")));
      assertTrue(after.sum("vxnet_https_responses_total", Map.of("service", "https", "class", "2xx")) >= 2, "the first scrape and /api/echo");
      assertEquals(1.0, after.sum("vxnet_https_responses_total", Map.of("service", "https", "class", "4xx")));
      // Vert.x's own: requests by route template and status class, with the service named from the bound address.
      assertEquals(1.0, after.sum("vertx_http_server_requests_total",
        Map.of("service", "https", "route", "/api/echo/>/api/echo/", "status_class", "2xx")), after.toString());
      assertEquals(1.0, after.sum("vertx_http_server_response_time_seconds_count", Map.of("service", "https", "status_class", "4xx")));
      assertTrue(after.sum("vertx_http_server_response_time_seconds_bucket", Map.of("service", "https", "le", "10.0")) >= 2);
      // Vert.x labels a server by the address it was asked to bind: port 0 (tcp, chat, bridge here) names no service.
      // The TCP echo's bytes pass a netty handler before Vert.x's (tcp.EchoHandler): only chat's line is read here.
      assertEquals(0.0, after.sum("vertx_net_server_bytes_read_total", Map.of("local", "127.0.0.1:0")), after.toString());
      chatLine(node.port("chat"), "/help\n");
      PrometheusText chatted = PrometheusText.scrape(http, https);
      assertEquals(6.0, chatted.sum("vertx_net_server_bytes_read_total", Map.of("local", "127.0.0.1:0")), chatted.toString());
      assertTrue(chatted.sum("vertx_net_server_bytes_written_total", Map.of("local", "127.0.0.1:0")) > 0, "chat's welcome");
      assertEquals(1.0, after.sum("vertx_eventbus_handlers", Map.of("address", "vxnet.dns.resolve")));
      assertTrue(after.sum("vertx_eventbus_handlers", Map.of("address", "vxnet.health.tcp")) >= 1);

      // Plain HTTP serves it too while it redirects everything else.
      HttpResponse<Buffer> plain = http.http(node.port("http"), "/metrics");
      assertEquals(200, plain.statusCode());
      assertTrue(plain.bodyAsString().contains("vxnet_http_requests_total{"), plain.bodyAsString());
    }
  }

  @Test
  void eachDnsUpstreamIsTaggedAndAgreesWithTheStats() throws Exception {
    int closed = TestNode.freePort(); // nothing listens: the one query fails there
    try (TestNode node = TestNode.startWithMetrics(new JsonObject().put("dns", new JsonObject()
      .put("upstreams", new io.vertx.core.json.JsonArray().add("127.0.0.1:" + closed)).put("timeout_ms", 500)))) {
      Http http = new Http(node.vertx);
      int https = node.port("https");
      http.https(https, "/resolve?name=example.test&type=A");
      JsonObject upstreams = node.counters("dns").getJsonObject("upstreams");
      assertEquals(1, upstreams.size(), upstreams.encode());
      String upstream = upstreams.fieldNames().iterator().next();
      JsonObject stats = upstreams.getJsonObject(upstream);
      PrometheusText scraped = PrometheusText.scrape(http, https);
      Map<String, String> tagged = Map.of("service", "dns", "upstream", upstream);
      assertEquals(1.0, scraped.sum("vxnet_dns_upstreams_queries_total", tagged), scraped.toString());
      assertEquals(1.0, scraped.sum("vxnet_dns_upstreams_failures_total", tagged));
      assertEquals(stats.getLong("failures"), (long) scraped.sum("vxnet_dns_upstreams_failures_total", tagged), "one source");
      assertEquals(stats.getLong("down"), (long) scraped.sum("vxnet_dns_upstreams_down", tagged), "a gauge per upstream");
      assertEquals(1.0, scraped.sum("vxnet_dns_upstream_query_seconds_count", tagged), "the failed exchange is timed");
      assertEquals(1.0, scraped.sum("vxnet_dns_upstream_queries_total", Map.of("service", "dns")), "the untagged total");
    }
  }

  @Test
  void theManagementPortTakesMetricsOffThePublicPorts() throws Exception {
    try (TestNode node = TestNode.startWithMetrics(new JsonObject()
      .put("management", new JsonObject().put("enabled", true).put("port", 0)))) {
      Http http = new Http(node.vertx);
      HttpResponse<Buffer> management = http.http(node.port("management"), "/metrics");
      assertEquals(200, management.statusCode());
      assertTrue(management.bodyAsString().contains("vxnet_management_requests_total{"), management.bodyAsString());
      assertEquals(200, http.http(node.port("management"), "/ready").statusCode());
      assertEquals(404, http.http(node.port("management"), "/api/echo").statusCode(), "only the operators' routes");
      assertEquals(404, http.https(node.port("https"), "/metrics").statusCode());
    }
  }

  @Test
  void withoutMetricsTheRouteSaysWhy() throws Exception {
    try (TestNode node = TestNode.start(new JsonObject())) {
      HttpResponse<Buffer> response = new Http(node.vertx).https(node.port("https"), "/metrics");
      assertEquals(404, response.statusCode());
      assertEquals("NOT_FOUND", response.bodyAsJsonObject().getJsonObject("error").getString("code"));
      assertTrue(response.bodyAsJsonObject().getJsonObject("error").getString("message").contains("metrics.enabled"));
    }
  }

  /** Reads chat's welcome line, sends {@code line} and reads one answer (so the server has read the line). */
  private static void chatLine(int port, String line) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("* welcome"));
      socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
      assertTrue(in.readLine().startsWith("* "), "the answer: the server has read the line");
    }
  }

  private static String echo(int port, String text) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      byte[] back = in.readNBytes(text.length());
      return new String(back, StandardCharsets.US_ASCII);
    }
  }
}
