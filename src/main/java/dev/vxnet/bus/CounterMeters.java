package dev.vxnet.bus;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.impl.MicrometerMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The one bridge from the services' {@link Counters} to Micrometer: which counter is which metric (the table below),
 * and the meters that read the counters when scraped, tagged {@code service}, {@code node} and {@code instance}.
 * Prometheus names follow its conventions: {@code vxnet_<service>_<metric>}, {@code _bytes} for byte counts,
 * {@code _total} for counters, {@code _seconds} for latency histograms (docs/observability.md lists them all).
 */
public final class CounterMeters {

  /** How a counter is exposed. */
  public enum Kind {
    /** Only goes up: a Prometheus counter, {@code _total}. */
    COUNT,
    /** Only goes up, in bytes: {@code _bytes_total}. */
    BYTES,
    /** Goes up and down: a gauge. */
    GAUGE
  }

  /**
   * One line of the table: counter {@code counter} of {@code service} (or, with {@code familyTag}, every counter named
   * {@code counter + "_" + value}, the value becoming that tag) is the metric {@code vxnet_<service>_<metric>}.
   */
  public record Row(String service, String counter, Kind kind, String metric, String familyTag, String help) {

    /** The Micrometer name; Prometheus adds the unit and {@code _total}. */
    String meterName() {
      return "vxnet." + service + "." + metric;
    }

    /** The name Prometheus shows (the counter family's {@code _total} series). */
    public String prometheusName() {
      String base = "vxnet_" + service + "_" + metric;
      return switch (kind) {
        case COUNT -> base + "_total";
        case BYTES -> base + "_bytes_total";
        case GAUGE -> base;
      };
    }

    boolean matches(String name) {
      return familyTag == null ? name.equals(counter) : name.startsWith(counter + "_");
    }
  }

  /** The web servers share their counters (https.WebServer). */
  private static final List<String> WEB = List.of("https", "http", "management");

  private static final List<Row> TABLE = Stream.of(
    rows("tcp",
      gauge("open", "open_connections", "TCP echo connections open now."),
      count("total", "connections", "TCP echo connections accepted."),
      count("refused", "refused_connections", "TCP echo connections closed at once: max_connections reached."),
      bytes("bytes_in", "received", "Bytes received by the TCP echo."),
      bytes("bytes_out", "sent", "Bytes echoed back.")),
    rows("udp",
      count("datagrams_in", "received_datagrams", "Datagrams received by the UDP echo."),
      count("datagrams_out", "sent_datagrams", "Datagrams echoed back."),
      count("oversize", "oversize_datagrams", "Datagrams dropped: larger than max_datagram_bytes."),
      count("rate_limited", "rate_limited_datagrams", "Datagrams dropped by the per-source rate limit."),
      count("send_errors", "send_errors", "Echoes that could not be sent."),
      bytes("bytes_in", "received", "Payload bytes of the datagrams the UDP echo received."),
      bytes("bytes_out", "sent", "Payload bytes of the datagrams answered (failed sends in send_errors).")),
    rows("chat",
      gauge("open", "open_connections", "Chat connections open now."),
      count("total", "connections", "Chat connections accepted."),
      count("refused", "refused_connections", "Chat connections refused: max_connections reached."),
      count("lines_in", "received_lines", "Chat lines received from clients."),
      count("lines_out", "sent_lines", "Chat lines written to clients."),
      count("overlong_lines", "overlong_lines", "Lines longer than max_line_bytes (the connection is closed)."),
      count("slow_disconnects", "slow_disconnects", "Clients disconnected because they did not read their lines."),
      count("bad_messages", "bad_messages", "Malformed messages on a room's event-bus address, ignored.")),
    rows("dns",
      count("requests", "requests", "vxnet.dns.resolve requests received."),
      count("bad_requests", "bad_requests", "Requests refused as malformed."),
      count("busy", "busy", "Requests refused: max_in_flight upstream queries reached."),
      count("cache_hits", "cache_hits", "Questions answered from the cache."),
      count("cache_misses", "cache_misses", "Questions not in the cache (asked upstream)."),
      count("cache_evictions", "cache_evictions", "Cache entries evicted to stay within cache_max_entries."),
      gauge("cache_entries", "cache_entries", "Entries in the node's DNS cache now (reported by one instance)."),
      count("upstream_queries", "upstream_queries", "Queries sent to upstreams."),
      count("upstream_errors", "upstream_errors", "Upstream queries that failed or answered an error code."),
      count("tcp_retries", "tcp_retries", "Truncated UDP answers asked again over TCP.")),
    rows("fetch",
      count("requests", "requests", "Fetches started (batch members included)."),
      count("ok", "ok", "Fetches that got a complete response."),
      family("failed", "failures", "code", "Fetches that failed, by error code."),
      gauge("in_flight", "in_flight", "Fetches in progress now."),
      count("batches", "batches", "vxnet.fetch.batch requests."),
      bytes("bytes_received", "received", "Response body bytes received from origins."),
      count("redirects_followed", "redirects_followed", "Redirects followed."),
      count("connections_opened", "opened_connections", "Connections opened to origins."),
      count("connections_closed", "closed_connections", "Connections to origins closed."),
      gauge("connections_open", "open_connections", "Connections to origins open now (pooled or in use)."),
      count("requests_on_reused_connections", "reused_connection_requests", "Requests sent on a pooled connection.")),
    rows("bridge",
      gauge("open", "open_connections", "TCP bridge connections open now."),
      count("connections", "connections", "TCP bridge connections accepted."),
      count("refused", "refused_connections", "TCP bridge connections refused: max_connections reached."),
      count("frames_in", "received_frames", "Frames received from bridge clients."),
      count("frames_out", "sent_frames", "Frames sent to bridge clients."),
      count("bad_frames", "bad_frames", "Frames refused as malformed."),
      count("oversize_frames", "oversize_frames", "Frames refused: larger than max_frame_bytes."),
      count("denied", "denied", "Frames refused: address not permitted."),
      count("requests", "requests", "send frames that expected a reply."),
      count("request_errors", "request_errors", "Requests answered with an error."),
      count("published", "published", "publish frames forwarded to the event bus."),
      count("delivered", "delivered", "Messages delivered to registered clients."),
      count("slow_disconnects", "slow_disconnects", "Clients disconnected because they did not read their frames.")),
    WEB.stream().flatMap(web -> rows(web,
      count("requests", "requests", "HTTP requests received (" + web + ")."),
      count("http2_requests", "http2_requests", "HTTP/2 requests among them."),
      count("invalid_requests", "invalid_requests", "Malformed requests answered 400/414/431 before routing."),
      family("responses", "responses", "class", "Responses by status class (1xx-5xx)."),
      bytes("bytes_in", "received", "Request bytes received."),
      bytes("bytes_out", "sent", "Response bytes sent."),
      gauge("connections_open", "open_connections", "Connections open now."),
      count("connections_total", "connections", "Connections accepted."),
      count("header_timeouts", "header_timeouts", "Connections closed: no complete request head within header_timeout_ms.")))
  ).flatMap(s -> s).toList();

  /** Latency histograms ({@link Counters#histogram}): name, help. */
  private static final List<Row> LATENCIES = List.of(
    new Row("dns", "upstream_query", Kind.COUNT, "upstream_query", null,
      "Time from sending a query to an upstream to its answer or failure, per upstream."));

  private CounterMeters() {
  }

  /**
   * The Micrometer registry of Vert.x's metrics ({@code vertx-micrometer-metrics}) on {@code vertx}, or empty when
   * Vert.x runs without them ({@code metrics.enabled} false, or a Vert.x made without vxnet's launcher).
   */
  public static Optional<MeterRegistry> registry(Vertx vertx) {
    return vertx instanceof VertxInternal internal && internal.metrics() instanceof MicrometerMetrics metrics
      ? Optional.of(metrics.registry()) : Optional.empty();
  }

  /** Every row of the table, for docs/observability.md. */
  public static List<Row> table() {
    return TABLE;
  }

  /** Every latency histogram, for docs/observability.md ({@code <name>_seconds}). */
  public static List<Row> latencies() {
    return LATENCIES;
  }

  /** The row for a counter, if the table has one. */
  public static Optional<Row> row(String service, String counter) {
    return TABLE.stream().filter(row -> row.service.equals(service) && row.matches(counter)).findFirst();
  }

  /**
   * Registers a meter for each counter and latency of {@code counters} in {@code registry}, and for each one declared
   * later; returns what to call to remove them again (when the verticle instance stops).
   */
  static Runnable bind(MeterRegistry registry, Counters counters, String node) {
    Tags tags = Tags.of("service", counters.service(), "node", node, "instance", counters.instance());
    List<Meter> meters = new ArrayList<>();
    Counters.Declared declared = (name, value) -> {
      synchronized (meters) {
        meters.add(meter(registry, counters.service(), name, value, tags));
      }
    };
    counters.onDeclare(declared).forEach(declared::declare);
    for (Counters.Histogram latency : counters.histograms()) {
      String help = LATENCIES.stream().filter(row -> row.service.equals(counters.service()) && row.counter.equals(latency.name))
        .map(Row::help).findFirst().orElse(counters.service() + ": " + latency.name + " latency.");
      Timer timer = Timer.builder("vxnet." + counters.service() + "." + latency.name).description(help)
        .tags(tags).tag(latency.tag, latency.tagValue).register(registry);
      latency.bind(timer);
      meters.add(timer);
    }
    return () -> {
      counters.onDeclare(null);
      synchronized (meters) {
        meters.forEach(registry::remove);
      }
    };
  }

  private static Meter meter(MeterRegistry registry, String service, String name, LongSupplier value, Tags tags) {
    Row row = row(service, name).orElseGet(() -> new Row(service, name, Kind.COUNT, name, null,
      service + ": counter " + name + " (as in /api/stats)."));
    Tags all = row.familyTag == null ? tags : tags.and(row.familyTag, name.substring(row.counter.length() + 1));
    if (row.kind == Kind.GAUGE) {
      return Gauge.builder(row.meterName(), value, v -> v.getAsLong()).description(row.help).tags(all)
        .strongReference(true).register(registry);
    }
    return FunctionCounter.builder(row.meterName(), value, v -> v.getAsLong()).description(row.help)
      .baseUnit(row.kind == Kind.BYTES ? "bytes" : null).tags(all).register(registry);
  }

  private static Stream<Row> rows(String service, Row... rows) {
    return Stream.of(rows).map(row -> new Row(service, row.counter, row.kind, row.metric, row.familyTag, row.help));
  }

  private static Row count(String counter, String metric, String help) {
    return new Row(null, counter, Kind.COUNT, metric, null, help);
  }

  private static Row bytes(String counter, String metric, String help) {
    return new Row(null, counter, Kind.BYTES, metric, null, help);
  }

  private static Row gauge(String counter, String metric, String help) {
    return new Row(null, counter, Kind.GAUGE, metric, null, help);
  }

  private static Row family(String prefix, String metric, String tag, String help) {
    return new Row(null, prefix, Kind.COUNT, metric, tag, help);
  }
}
