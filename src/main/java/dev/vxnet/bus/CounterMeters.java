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
 * and the meters that read the counters when scraped, tagged {@code service}, {@code node} and {@code instance} (and a
 * group member's, such as a DNS upstream's, with the member: {@code upstream}).
 * Prometheus names follow its conventions: {@code vxnet_<service>_<metric>}, {@code _bytes} for byte counts,
 * {@code _total} for counters, {@code _seconds} for latency histograms and durations (counted in microseconds,
 * exposed in seconds) (docs/observability.md lists them all).
 */
public final class CounterMeters {

  /** How a counter is exposed. */
  public enum Kind {
    /** Only goes up: a Prometheus counter, {@code _total}. */
    COUNT,
    /** Only goes up, in bytes: {@code _bytes_total}. */
    BYTES,
    /** Goes up and down: a gauge. */
    GAUGE,
    /** Microseconds that only go up (a sum of durations): a counter in seconds, {@code _seconds_total}. */
    MICROSECONDS,
    /** A duration in microseconds that goes up and down: a gauge in seconds, {@code _seconds}. */
    MICROSECONDS_GAUGE
  }

  /**
   * One line of the table: counter {@code counter} of {@code service} (or, with {@code familyTag}, every counter named
   * {@code counter + "_" + value}, the value becoming that tag; or, when {@code counter} is {@code <group>.<name>},
   * counter {@code name} of every member of that group, the member becoming that tag) is the metric
   * {@code vxnet_<service>_<metric>}.
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
        case MICROSECONDS -> base + "_seconds_total";
        case MICROSECONDS_GAUGE -> base + "_seconds";
      };
    }

    boolean matches(String name) {
      return familyTag == null || grouped() ? name.equals(counter) : name.startsWith(counter + "_");
    }

    /** The tags a counter's meter adds to the instance's: the family's value, or the group member's. */
    Tags tags(String name, String member) {
      if (familyTag == null) {
        return Tags.empty();
      }
      return grouped() ? Tags.of(familyTag, member) : Tags.of(familyTag, name.substring(counter.length() + 1));
    }

    /** A row of a group member's counter ({@code <group>.<name>}): the member becomes the tag. */
    private boolean grouped() {
      return counter.indexOf('.') >= 0;
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
      count("refused_sources", "refused_source_datagrams", "Datagrams dropped for their source port: a service's or "
        + "reflector's port, or one this node listens on (net.ReflectionGuard)."),
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
      count("refused_lines", "refused_lines", "Lines refused for a control character (only TAB may appear), not sent."),
      count("slow_disconnects", "slow_disconnects", "Clients disconnected because they did not read their lines."),
      count("bad_messages", "bad_messages", "Malformed messages on a room's event-bus address, ignored."),
      count("late_room_messages", "late_room_messages", "Room messages that reached this instance after its last "
        + "member of the room left: for nobody, dropped.")),
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
      count("tcp_retries", "tcp_retries", "Truncated UDP answers asked again over TCP."),
      count("stale_answers", "stale_answers", "Expired cache entries served (serve-stale, stale_max_s): no upstream answered."),
      count("prefetches", "prefetches", "Background refreshes of cache entries near their expiry (prefetch_percent)."),
      count("udp_queries", "udp_queries", "Do53 UDP datagrams read."),
      count("udp_rate_limited", "udp_rate_limited_queries", "Do53 UDP queries dropped by the per-source rate limit (rate_limit_per_second)."),
      count("udp_shrunk", "udp_shrunk_answers", "Do53 UDP answers cut to header and question with TC by the per-source byte limit (rate_limit_bytes_per_second)."),
      count("udp_reflected", "udp_reflected_datagrams", "Do53 UDP datagrams dropped for their source port (no answers to ports that could reflect them)."),
      count("udp_send_errors", "udp_send_errors", "Do53 UDP answers that could not be sent."),
      count("tcp_queries", "tcp_queries", "Do53 TCP queries read."),
      count("tcp_connections", "tcp_connections", "Do53 TCP connections accepted."),
      count("tcp_refused_connections", "tcp_refused_connections", "Do53 TCP connections closed at once: max_connections reached."),
      count("dot_queries", "dot_queries", "DNS-over-TLS queries read."),
      count("dot_connections", "dot_connections", "DNS-over-TLS connections accepted."),
      count("dot_refused_connections", "dot_refused_connections", "DNS-over-TLS connections closed at once: max_connections reached."),
      count("dropped", "dropped_messages", "Do53 and DoT messages that got no answer (not a query, or too short for an ID)."),
      count("formerr", "formerr_answers", "Do53 and DoT answers FORMERR (malformed query)."),
      count("notimp", "notimp_answers", "Do53 and DoT answers NOTIMP (an opcode other than QUERY)."),
      count("refused", "refused_answers", "Do53 and DoT answers REFUSED (a question vxnet does not answer)."),
      count("badvers", "badvers_answers", "Do53 and DoT answers BADVERS (an EDNS version other than 0)."),
      count("servfail", "servfail_answers", "Do53 and DoT answers SERVFAIL (no upstream answered)."),
      count("truncated", "truncated_answers", "Do53 UDP answers truncated (TC) to the client's payload size."),
      upstream("queries", Kind.COUNT, "Queries sent to this upstream."),
      upstream("responses", Kind.COUNT, "Responses from this upstream, any response code."),
      upstream("rcode_errors", Kind.COUNT, "Responses from this upstream other than NOERROR and NXDOMAIN."),
      upstream("failures", Kind.COUNT, "Queries to this upstream that got no answer (timeout, network or TLS error, malformed answer)."),
      upstream("latency_us_total", Kind.MICROSECONDS, "upstreams_latency", "Sum of this upstream's response times (divided by responses: the mean)."),
      upstream("latency_us", Kind.MICROSECONDS_GAUGE, "upstreams_smoothed_latency", "This upstream's smoothed response time (what the fastest strategy uses); 0 until measured."),
      upstream("down", Kind.GAUGE, "1 while this upstream is marked down, else 0."),
      upstream("marked_down", Kind.COUNT, "Times this upstream was marked down."),
      upstream("probes", Kind.COUNT, "Background probes sent to this upstream while it was down.")),
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
      count("refused", "refused_connections", "Connections closed at once: max_connections or node.max_connections reached."),
      count("client_aborts", "client_aborts", "Exchanges the client left before the server was done (connection closed, "
        + "HTTP/2 stream reset, /eventbus WebSocket dropped without a close frame): counted, never logged."),
      count("header_timeouts", "header_timeouts", "Connections closed: no complete request head within header_timeout_ms."),
      count("doh_cache_hits", "doh_cache_hits", "DoH answers (/resolve, /dns-query) reused from this instance's microcache "
        + "(doh_cache_ms) without asking the resolver."))),
    // Verticles of the `verticles` section that report through StatsReporter (docs/polyglot.md)
    rows("probe",
      count("rounds", "rounds", "Rounds of the Kotlin prober (each probes every target once)."),
      count("probes", "probes", "Probes sent, every kind."),
      count("ok", "ok_probes", "Probes that succeeded."),
      count("failed", "failed_probes", "Probes that failed (no connection, DNS error, fetch error, timeout).")),
    rows("chatbot",
      count("commands", "commands", "Commands (!time, !resolve, ...) the Groovy chat bot read in its rooms."),
      count("answers", "answers", "Answers the chat bot said (errors among them)."),
      count("errors", "errors", "Commands the chat bot answered with an error."))
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
    counters.onDeclare(new Counters.Declared() {
      @Override
      public void value(String group, String member, String name, LongSupplier value) {
        add(meter(registry, counters.service(), group == null ? name : group + "." + name, member, value, tags));
      }

      @Override
      public void histogram(Counters.Histogram latency) {
        String help = LATENCIES.stream().filter(row -> row.service.equals(counters.service()) && row.counter.equals(latency.name))
          .map(Row::help).findFirst().orElse(counters.service() + ": " + latency.name + " latency.");
        Timer timer = Timer.builder("vxnet." + counters.service() + "." + latency.name).description(help)
          .tags(tags).tag(latency.tag, latency.tagValue).register(registry);
        latency.bind(timer);
        add(timer);
      }

      private void add(Meter meter) {
        synchronized (meters) {
          meters.add(meter);
        }
      }
    });
    return () -> {
      counters.onDeclare(null);
      synchronized (meters) {
        meters.forEach(registry::remove);
      }
    };
  }

  /** {@code member}: the group member whose counter {@code <group>.<name>} is, or {@code null}. */
  private static Meter meter(MeterRegistry registry, String service, String name, String member, LongSupplier value, Tags tags) {
    Row row = row(service, name).orElseGet(() -> new Row(service, name, Kind.COUNT, name.replace('.', '_'), name.indexOf('.') >= 0 ? "member" : null,
      service + ": counter " + name + " (as in /api/stats)."));
    Tags all = tags.and(row.tags(name, member));
    return switch (row.kind) {
      case GAUGE -> Gauge.builder(row.meterName(), value, v -> v.getAsLong()).description(row.help).tags(all)
        .strongReference(true).register(registry);
      case MICROSECONDS_GAUGE -> Gauge.builder(row.meterName(), value, v -> v.getAsLong() / 1e6).description(row.help)
        .baseUnit("seconds").tags(all).strongReference(true).register(registry);
      case MICROSECONDS -> FunctionCounter.builder(row.meterName(), value, v -> v.getAsLong() / 1e6).description(row.help)
        .baseUnit("seconds").tags(all).register(registry);
      case COUNT, BYTES -> FunctionCounter.builder(row.meterName(), value, v -> v.getAsLong()).description(row.help)
        .baseUnit(row.kind == Kind.BYTES ? "bytes" : null).tags(all).register(registry);
    };
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

  /**
   * Counter {@code name} of each member of the group {@code upstreams} (dns.upstream.Forwarder#GROUP): the metric
   * {@code upstreams_<name>} (or {@code metric}) tagged {@code upstream}.
   */
  private static Row upstream(String name, Kind kind, String help) {
    return upstream(name, kind, "upstreams_" + name, help);
  }

  private static Row upstream(String name, Kind kind, String metric, String help) {
    return new Row(null, "upstreams." + name, kind, metric, "upstream", help);
  }

  private static Row family(String prefix, String metric, String tag, String help) {
    return new Row(null, prefix, Kind.COUNT, metric, tag, help);
  }
}
