package dev.vxnet.load;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The result of a run as one JSON object ({@code --json}) or as a table for people. The JSON always has
 * {@code throughput_per_s} (operations per second of measured time), {@code errors} and {@code latency_us} with
 * {@code p50 p90 p99 p999 max} (and {@code mean}), in microseconds; then what the protocol adds.
 */
final class Report {

  private Report() {
  }

  static JsonObject json(Settings settings, Load load, Totals totals) {
    JsonObject json = new JsonObject()
      .put("protocol", settings.protocol().word)
      .put("target", settings.target());
    if (settings.tcpMode() != null) {
      json.put("mode", settings.tcpMode().name().toLowerCase(Locale.ROOT));
    }
    json.put("pacing", settings.rate() > 0 ? "constant-rate" : "closed-loop");
    if (settings.rate() > 0) {
      json.put("rate_per_s", settings.rate());
    }
    json.put("connections", settings.connections());
    if (settings.overHttp()) {
      json.put("http", settings.httpVersion().alpnName()).put("streams", settings.streams());
    } else {
      json.put("window", settings.window());
    }
    if (settings.size() > 0) {
      json.put("size", settings.size());
    }
    json.put("event_loops", settings.eventLoops())
      .put("io_transport", settings.ioTransport().name())
      .put("warmup_s", settings.warmupS())
      .put("duration_s", Math.round(totals.elapsedS * 1000) / 1000.0)
      .put("unit", load.unit())
      .put("operations", totals.operations)
      .put("throughput_per_s", totals.perSecond(totals.operations))
      .put("errors", totals.errors);
    JsonObject kinds = new JsonObject();
    JsonObject first = new JsonObject();
    for (ErrorKind kind : ErrorKind.values()) {
      if (totals.errorKind(kind) > 0) {
        kinds.put(kind.key(), totals.errorKind(kind));
        first.put(kind.key(), totals.firstErrors[kind.ordinal()]);
      }
    }
    json.put("error_kinds", kinds).put("first_errors", first);
    json.put("latency_us", new JsonObject()
      .put("p50", totals.latencyUs(50))
      .put("p90", totals.latencyUs(90))
      .put("p99", totals.latencyUs(99))
      .put("p999", totals.latencyUs(99.9))
      .put("max", totals.maxLatencyUs())
      .put("mean", totals.latency.getTotalCount() == 0 ? 0 : Math.round(totals.latency.getMean() / 100.0) / 10.0));
    JsonObject extra = new JsonObject();
    load.report(extra, totals);
    return json.mergeIn(extra);
  }

  static String table(Settings settings, Load load, Totals totals) {
    JsonObject json = json(settings, load, totals);
    StringBuilder out = new StringBuilder();
    out.append("vxnet load ").append(settings.protocol().word).append(' ').append(settings.target()).append('\n');
    StringJoiner shape = new StringJoiner(", ", "  ", "\n");
    if (settings.tcpMode() != null) {
      shape.add(json.getString("mode"));
    }
    shape.add(settings.connections() + (settings.connections() == 1 ? " connection" : " connections"));
    if (settings.overHttp()) {
      shape.add("HTTP/" + (settings.httpVersion() == io.vertx.core.http.HttpVersion.HTTP_2 ? "2" : "1.1"))
        .add(settings.streams() + (settings.streams() == 1 ? " stream" : " streams") + " each");
    } else {
      shape.add("window " + settings.window());
    }
    if (settings.size() > 0) {
      shape.add(settings.size() + " bytes");
    }
    shape.add(settings.rate() > 0 ? String.format(Locale.ROOT, "constant rate %,.0f/s", settings.rate()) : "closed loop");
    shape.add(settings.eventLoops() + (settings.eventLoops() == 1 ? " event loop" : " event loops") + " (" + settings.ioTransport().name() + ")");
    out.append(shape);
    out.append(String.format(Locale.ROOT, "  %.2f s measured%s%n%n", totals.elapsedS,
      settings.warmupS() > 0 ? String.format(Locale.ROOT, " after %.1f s of warm-up", settings.warmupS()) : ""));
    row(out, "throughput", String.format(Locale.ROOT, "%,.1f %s/s", json.getDouble("throughput_per_s"), load.unit()));
    row(out, "operations", String.format(Locale.ROOT, "%,d %s", totals.operations, load.unit()));
    StringJoiner kinds = new StringJoiner(", ", " (", ")").setEmptyValue("");
    json.getJsonObject("error_kinds").forEach(kind -> kinds.add(kind.getKey() + " " + kind.getValue()));
    row(out, "errors", String.format(Locale.ROOT, "%,d", totals.errors) + kinds);
    json.getJsonObject("first_errors").forEach(first -> row(out, "  " + first.getKey(), "first: " + first.getValue()));
    out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %10s%n", "latency", "p50", "p90", "p99", "p99.9", "max"));
    JsonObject latency = json.getJsonObject("latency_us");
    out.append(String.format(Locale.ROOT, "  %-20s %10s %10s %10s %10s %10s%n", "",
      latency(latency.getDouble("p50")), latency(latency.getDouble("p90")), latency(latency.getDouble("p99")),
      latency(latency.getDouble("p999")), latency(latency.getDouble("max"))));
    JsonObject extra = new JsonObject();
    load.report(extra, totals);
    for (Map.Entry<String, Object> field : extra) {
      if (field.getKey().equals("bytes_per_s")) {
        row(out, "bytes per s", String.format(Locale.ROOT, "%,.0f (%.2f MB/s)", ((Number) field.getValue()).doubleValue(),
          ((Number) field.getValue()).doubleValue() / 1e6));
      } else {
        row(out, field.getKey().replace('_', ' '), value(field.getValue()));
      }
    }
    return out.toString();
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "  %-20s %s%n", label, value));
  }

  private static String value(Object value) {
    if (value instanceof JsonObject object) {
      StringJoiner parts = new StringJoiner(", ").setEmptyValue("-");
      object.forEach(entry -> parts.add(entry.getKey() + " " + value(entry.getValue())));
      return parts.toString();
    }
    if (value instanceof Double number) {
      return String.format(Locale.ROOT, "%,.1f", number);
    }
    if (value instanceof Long || value instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }

  /** A latency in microseconds as people read it: 61.4 us, 1.20 ms, 2.31 s. */
  static String latency(double us) {
    if (us < 1_000) {
      return String.format(Locale.ROOT, us < 100 ? "%.1f us" : "%.0f us", us);
    }
    return us < 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", us / 1_000) : String.format(Locale.ROOT, "%.2f s", us / 1_000_000);
  }
}
