package dev.vxnet;

import dev.vxnet.support.Http;
import dev.vxnet.support.PrometheusText;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged jar as an operator watches it: {@code /metrics} of a default start checked by promtool, the access
 * log, JSON log lines, and SIGTERM turning {@code /ready} to 503 before anything closes.
 */
class ObservabilityIT {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final int LAME_DUCK_MS = 3_000;

  private static Vertx vertx;
  private static Http http;

  @BeforeAll
  static void client() {
    vertx = Vertx.vertx();
    http = new Http(vertx);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** The default configuration but for the ports: each listening service on its own free loopback port. */
  private static JsonObject defaultsOnFreePorts() throws Exception {
    JsonObject config = TestNode.config(new JsonObject());
    for (String service : config.fieldNames()) {
      if (service.equals("dns")) { // no port of its own: its Do53 and DoT listeners have theirs
        config.getJsonObject(service).put("do53_port", TestNode.freePort()).put("dot_port", TestNode.freePort());
      } else {
        config.getJsonObject(service).put("port", TestNode.freePort());
      }
    }
    config.getJsonObject("http").remove("redirect_port"); // the default: redirect to https.port
    return config;
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void metricsPassPromtoolTheAccessLogSkipsProbesAndSigtermTurnsReadyDownFirst() throws Exception {
    JsonObject config = defaultsOnFreePorts().put("node", new JsonObject().put("lame_duck_ms", LAME_DUCK_MS));
    int https = config.getJsonObject("https").getInteger("port");
    int tcp = config.getJsonObject("tcp").getInteger("port");
    try (VxnetProcess vxnet = VxnetProcess.start("observability-default", List.of(), List.of("-conf", config.encode()), Map.of())) {
      vxnet.awaitLine("node \\S+: started", START);
      assertEquals(200, http.https(https, "/api/echo?from=it").statusCode());
      assertEquals(200, http.https(https, "/health").statusCode());
      assertEquals(200, http.https(https, "/ready").statusCode());
      HttpResponse<Buffer> scraped = http.https(https, "/metrics");
      assertEquals(200, scraped.statusCode());
      PrometheusText metrics = new PrometheusText(scraped.bodyAsString());
      assertTrue(metrics.families().contains("vxnet_https_requests_total"), metrics.families().toString());
      assertTrue(metrics.families().contains("jvm_memory_used_bytes"), "the JVM's meters are on by default");
      promtoolAccepts(scraped.bodyAsString());
      assertEquals("tcp?", echo(tcp, "tcp?"));
      PrometheusText again = new PrometheusText(http.https(https, "/metrics").bodyAsString());
      // the TCP echo's bytes pass a netty handler before Vert.x's (tcp.EchoHandler): its own counter has them
      assertEquals(1.0, again.sum("vxnet_tcp_connections_total", Map.of("service", "tcp")), again.toString());
      assertEquals(4.0, again.sum("vxnet_tcp_received_bytes_total", Map.of("service", "tcp")));
      assertEquals(1.0, again.sum("vertx_http_server_requests_total",
        Map.of("service", "https", "route", "/api/echo/>/api/echo/", "status_class", "2xx")), again.toString());

      // One combined-format line with the request time for the request; none for the probes and the scrape.
      vxnet.awaitLine("\\[access] 127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /api/echo\\?from=it HTTP/1\\.1\" 200 [1-9]\\d* \"-\" \"[^\"]+\" \\d+\\.\\d+$", START);
      for (String probe : List.of("/health", "/ready", "/metrics")) {
        assertFalse(vxnet.output().contains("\"GET " + probe + " "), probe + " is not logged:\n" + vxnet.output());
      }

      long signalled = System.nanoTime();
      vxnet.terminate();
      awaitStatus(https, "/ready", 503, Duration.ofMillis(LAME_DUCK_MS));
      // Lame duck: still serving everything else while the balancers notice.
      assertEquals(200, http.https(https, "/api/echo").statusCode());
      assertEquals("still", echo(tcp, "still"));
      assertTrue((System.nanoTime() - signalled) / 1_000_000 < LAME_DUCK_MS, "checked within the lame-duck time");
      assertEquals(0, vxnet.exitCode(EXIT));
      assertTrue((System.nanoTime() - signalled) / 1_000_000 >= LAME_DUCK_MS, "nothing closed before the lame-duck time");
      assertTrue(vxnet.output().contains("SIGTERM received: /ready answers 503 for " + LAME_DUCK_MS + " ms"), vxnet.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void jsonLogsAreOneObjectPerLineWithAccessFields() throws Exception {
    JsonObject config = defaultsOnFreePorts().put("logging", new JsonObject().put("format", "json")
      .put("levels", new JsonObject().put("dev.vxnet.net", "WARN")));
    int https = config.getJsonObject("https").getInteger("port");
    try (VxnetProcess vxnet = VxnetProcess.start("observability-json", List.of(), List.of("-conf", config.encode()), Map.of())) {
      vxnet.awaitLine("node \\S+: started", START);
      assertEquals(200, http.https(https, "/health").statusCode());
      assertEquals(404, http.https(https, "/nothing/here").statusCode());
      vxnet.awaitLine("\"uri\":\"/nothing/here\"", START);
      vxnet.close();
      // The launcher's first line comes before the configuration (and its logging.format) is read: text, as the docs say.
      List<JsonObject> lines = vxnet.output().lines()
        .dropWhile(line -> line.matches(".* INFO  \\[VxnetLauncher] .*: starting, pid \\d+"))
        .map(line -> {
          try {
            return new JsonObject(line);
          } catch (DecodeException e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
        }).toList();
      assertTrue(lines.size() > 5, vxnet.output());
      for (JsonObject line : lines) {
        for (String field : List.of("@timestamp", "level", "logger_name", "thread_name", "message")) {
          assertTrue(line.containsKey(field), field + " in " + line.encode());
        }
      }
      JsonObject access = lines.stream().filter(line -> "vxnet.access".equals(line.getString("logger_name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no access line:\n" + vxnet.output()));
      assertEquals("GET", access.getString("method"));
      assertEquals("/nothing/here", access.getString("uri"));
      assertEquals(404, access.getInteger("status"));
      assertTrue(access.getLong("bytes") > 0, access.encode());
      assertTrue(access.getDouble("request_time") >= 0, access.encode());
      assertEquals("https", access.getString("server"));
      assertEquals(1, lines.stream().filter(line -> "vxnet.access".equals(line.getString("logger_name"))).count(),
        "/health is not logged:\n" + vxnet.output());
      assertTrue(lines.stream().noneMatch(line -> line.getString("message").contains("listening on")),
        "logging.levels set dev.vxnet.net to WARN:\n" + vxnet.output());
    }
  }

  private static void awaitStatus(int port, String path, int status, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    int last;
    do {
      last = http.https(port, path).statusCode();
      if (last == status) {
        return;
      }
    } while (System.nanoTime() < deadline);
    fail(path + " answered " + last + ", not " + status + ", for " + within.toMillis() + " ms");
  }

  /** {@code promtool check metrics} (Debian: prometheus) on the scrape; said and skipped where it is not installed. */
  private static void promtoolAccepts(String scrape) throws Exception {
    if (!onPath("promtool")) {
      System.out.println("promtool not installed (apt-get install prometheus): promtool check skipped");
      return;
    }
    Path file = Files.createTempFile("vxnet-metrics", ".txt");
    try {
      Files.writeString(file, scrape);
      Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
        .redirectErrorStream(true).start();
      String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + output);
    } finally {
      Files.delete(file);
    }
  }

  private static boolean onPath(String command) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
      .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static String echo(int port, String text) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
