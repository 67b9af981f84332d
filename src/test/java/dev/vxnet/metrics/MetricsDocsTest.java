package dev.vxnet.metrics;

import dev.vxnet.support.Http;
import dev.vxnet.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/observability.md lists every metric a node exposes: the table between its {@code metrics:begin} and
 * {@code metrics:end} markers is rendered from a real scrape of a node that served some traffic on every service.
 * Every family scraped must be in it, and every vxnet family in it must be scraped (they exist from the start).
 * Regenerate with {@code mvn -q test -Dtest=MetricsDocsTest -Ddocs.write=true} (rows of families that only
 * some traffic makes, such as request resets, are kept).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsDocsTest {

  private static final Path DOC = Path.of("docs", "observability.md");
  private static final String BEGIN = "<!-- metrics:begin";
  private static final String END = "<!-- metrics:end -->";
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_:]+)` \\|.*$", Pattern.MULTILINE);
  private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) ?(.*)$", Pattern.MULTILINE);
  private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)} ", Pattern.MULTILINE);
  private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"");

  @Test
  void everyMetricIsDocumented() throws Exception {
    String scrape = scrapeAfterTraffic();
    Map<String, String[]> scraped = families(scrape);
    String doc = Files.readString(DOC);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, DOC + " has no " + BEGIN + " ... " + END + " section");
    String section = doc.substring(doc.indexOf('\n', begin) + 1, end);
    Map<String, String> rows = new TreeMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      rows.put(row.group(1), row.group());
    }
    if (Boolean.getBoolean("docs.write") /* not vxnet.*: the node would read it as a section */) {
      scraped.forEach((name, described) -> rows.put(name, "| `" + name + "` | " + described[0] + " | " + described[1]
        + " | " + described[2].replace("|", "\\|") + " |"));
      String table = "| metric | type | labels | meaning |\n|---|---|---|---|\n" + String.join("\n", rows.values()) + "\n";
      doc = doc.substring(0, doc.indexOf('\n', begin) + 1) + table + doc.substring(end);
      Files.writeString(DOC, doc);
      return;
    }
    Set<String> undocumented = new TreeSet<>(scraped.keySet());
    undocumented.removeAll(rows.keySet());
    assertEquals(Set.of(), undocumented, DOC + " lacks these metrics: regenerate with mvn -q test -Dtest=MetricsDocsTest -Ddocs.write=true");
    Set<String> gone = new TreeSet<>(rows.keySet());
    gone.removeIf(name -> !name.startsWith("vxnet_") || scraped.containsKey(name));
    assertEquals(Set.of(), gone, DOC + " lists vxnet metrics that no node has: regenerate, then remove them by hand");
  }

  /** name -> {type, labels, help} of every family but the JVM's (documented by prefix). */
  private static Map<String, String[]> families(String scrape) {
    Map<String, String> types = new TreeMap<>();
    Matcher type = TYPE.matcher(scrape);
    while (type.find()) {
      types.put(type.group(1), type.group(2));
    }
    Map<String, String> helps = new TreeMap<>();
    Matcher help = HELP.matcher(scrape);
    while (help.find()) {
      helps.put(help.group(1), help.group(2));
    }
    Map<String, Set<String>> labels = new TreeMap<>();
    Matcher sample = SAMPLE.matcher(scrape);
    while (sample.find()) {
      String family = types.keySet().stream().filter(name -> sample.group(1).equals(name) || sample.group(1).startsWith(name + "_"))
        .max((a, b) -> a.length() - b.length()).orElse(sample.group(1));
      Matcher label = LABEL.matcher(sample.group(2));
      Set<String> names = labels.computeIfAbsent(family, f -> new TreeSet<>());
      while (label.find()) {
        if (!label.group(1).equals("le") && !label.group(1).equals("quantile")) {
          names.add(label.group(1));
        }
      }
    }
    Map<String, String[]> families = new TreeMap<>();
    types.forEach((name, kind) -> {
      if (name.startsWith("vxnet_") || name.startsWith("vertx_")) {
        families.put(name, new String[] {kind, String.join(", ", labels.getOrDefault(name, Set.of())), helps.getOrDefault(name, "")});
      }
    });
    return families;
  }

  /** A whole node with metrics after a little of everything: echo, datagrams, chat, HTTPS, a fetch, a DNS query. */
  private static String scrapeAfterTraffic() throws Exception {
    Vertx origins = Vertx.vertx();
    try {
      HttpServer origin = origins.createHttpServer().requestHandler(request -> request.response().end("origin"))
        .listen(0, "127.0.0.1").await(20, TimeUnit.SECONDS);
      int closed = TestNode.freePort(); // a DNS upstream that does not answer: the query fails, its latency counts
      try (TestNode node = TestNode.startWithMetrics(new JsonObject()
        .put("fetch", new JsonObject().put("allow", new JsonArray().add("127.0.0.1")))
        .put("dns", new JsonObject().put("upstreams", new JsonArray().add("127.0.0.1:" + closed)).put("timeout_ms", 200)))) {
        Http http = new Http(node.vertx);
        int https = node.port("https");
        try (Socket tcp = new Socket("127.0.0.1", node.port("tcp")); Socket chat = new Socket("127.0.0.1", node.port("chat"))) {
          tcp.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
          assertEquals('x', tcp.getInputStream().read());
          chat.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
          assertTrue(chat.getInputStream().read() >= 0);
        }
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
          udp.setSoTimeout(10_000);
          udp.send(new DatagramPacket(new byte[] {1}, 1, InetAddress.getLoopbackAddress(), node.port("udp")));
          udp.receive(new DatagramPacket(new byte[8], 8));
        }
        assertEquals(200, http.https(https, "/api/fetch?url=http://127.0.0.1:" + origin.actualPort() + "/").statusCode());
        http.https(https, "/resolve?name=example.test&type=A");
        assertEquals(200, http.https(https, "/ready").statusCode());
        assertEquals(200, http.https(https, "/api/stats").statusCode());
        HttpResponse<Buffer> scrape = http.https(https, "/metrics");
        assertEquals(200, scrape.statusCode());
        return scrape.bodyAsString();
      }
    } finally {
      origins.close().await(20, TimeUnit.SECONDS);
    }
  }
}
