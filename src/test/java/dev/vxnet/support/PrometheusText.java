package dev.vxnet.support;

import dev.vxnet.metrics.MetricsRoutes;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads Prometheus text format 0.0.4 as a test needs it: samples by name and labels, and the metric families. */
public final class PrometheusText {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  public PrometheusText(String text) {
    this.text = text;
  }

  /** GET /metrics over HTTPS on {@code httpsPort}: checks status 200 and the Prometheus content type. */
  public static PrometheusText scrape(Http http, int httpsPort) throws Exception {
    HttpResponse<Buffer> response = http.https(httpsPort, "/metrics");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(MetricsRoutes.CONTENT_TYPE, response.getHeader("content-type"));
    return new PrometheusText(response.bodyAsString());
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels}; {@code NaN} when there is none. */
  public double sum(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> have = new java.util.HashMap<>();
      Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
      while (label.find()) {
        have.put(label.group(1), label.group(2));
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(sample.group(4));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  /** The name of every metric family ({@code # TYPE} lines). */
  public Set<String> families() {
    Set<String> families = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line.split(" ")[2]);
      }
    }
    return families;
  }

  @Override
  public String toString() {
    return text;
  }
}
