package dev.vxnet.web;

import dev.vxnet.config.Key;
import dev.vxnet.config.Values;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of every server that serves the web application ({@code https}, and {@code http}), checked.
 *
 * @param webRoot          directory of static files, or {@code null} for the page built into the jar
 * @param maxHeaderBytes   largest request head, bytes
 * @param maxBodyBytes     largest request body, bytes; request/response route groups may only lower it
 * @param headerTimeoutMs  time a connection without a request in progress has to deliver the next request's headers
 * @param requestTimeoutMs time from a request's headers to its answer's headers
 * @param idleTimeoutMs    idle connection timeout, 0 = never
 * @param echoMaxDelayMs   largest {@code delay_ms} of {@code /api/echo}, below {@code requestTimeoutMs}
 * @param statsTimeoutMs   how long {@code /api/stats} waits for answers, below {@code requestTimeoutMs}
 * @param serviceTimeoutMs event-bus send timeout of routes that call services, below {@code requestTimeoutMs}
 * @param dohCacheMs       how long a server instance reuses a DoH answer for the same question, 0 = never
 * @param eventbusBridge   whether the SockJS event-bus bridge is served
 * @param maxConnections   connections open at once on this server (all its instances), 0 = only the node's limit
 * @param maxFormFields    fields of one form body ({@code application/x-www-form-urlencoded}, multipart), -1 = no limit
 * @param fixture          the network test fixture's bounds and CORS policy
 * @param readyTimeoutMs   how long {@code /ready} waits for each check, below {@code requestTimeoutMs}
 * @param metrics          whether this server serves {@code /metrics}: not a key, false where the management port
 *                         serves it instead ({@link #withoutMetrics})
 */
public record WebSettings(String webRoot, int maxHeaderBytes, int maxBodyBytes, int headerTimeoutMs, int requestTimeoutMs,
                          int idleTimeoutMs, int echoMaxDelayMs, int statsTimeoutMs, int serviceTimeoutMs,
                          int dohCacheMs, boolean eventbusBridge, int maxConnections, int maxFormFields, FixtureSettings fixture,
                          int readyTimeoutMs, boolean metrics) {

  /** Keys of every server that serves this application (https, and http), the fixture's last. */
  public static final List<Key> KEYS = withFixture(
    Key.text("web_root", null, "Directory of static files; unset serves the page built into the jar."),
    Key.integer("max_header_bytes", 8_192, 1_024, 1 << 20,
      "Largest request head (request line and headers) accepted; larger gets 431."),
    Key.integer("max_body_bytes", 1 << 20, 0, Integer.MAX_VALUE, "Largest request body accepted; larger gets 413."),
    Key.integer("header_timeout_ms", 20_000, 10, 3_600_000,
      "A connection with no request in progress (new, or between requests) must deliver a request's complete headers "
        + "(and, for TLS, its handshake) within this time, or it is closed. Stops slowloris; also the keep-alive limit."),
    Key.integer("request_timeout_ms", 30_000, 10, 3_600_000,
      "From a request's headers to its answer's headers: a body still arriving then gets 408, a slow handler 503."),
    Key.integer("idle_timeout_ms", 120_000, 0, Integer.MAX_VALUE,
      "Close a connection with no bytes in either direction for this long; 0 = never."),
    Key.integer("echo_max_delay_ms", 10_000, 0, 3_600_000,
      "Largest `delay_ms` `/api/echo` accepts; must be below `request_timeout_ms`."),
    Key.integer("stats_timeout_ms", 1_000, 10, 60_000,
      "How long `/api/stats` waits for every service instance and node before reporting the silent ones; "
        + "below `request_timeout_ms`."),
    Key.integer("service_timeout_ms", 5_000, 10, 600_000,
      "Event-bus send timeout of calls from HTTP routes to other services (DNS, fetch); below `request_timeout_ms`."),
    Key.integer("doh_cache_ms", 1_000, 0, 60_000,
      "How long each server instance reuses the resolver's answer to a DoH question (`/resolve`, `/dns-query`) asked "
        + "again: a microcache that spares the event-bus round trip; its TTLs may read up to this much high. 0 = ask "
        + "the resolver every time. docs/dns.md."),
    Key.flag("eventbus_bridge", true,
      "Serve the SockJS event-bus bridge at `/eventbus` (the permitted addresses of docs/bridge.md, default limits)."),
    Key.integer("max_connections", 10_000, 0, Integer.MAX_VALUE,
      "Connections open at once on this server (all its instances); beyond it new ones are closed at once and counted "
        + "as `refused`. 0 = only `node.max_connections` applies."),
    Key.integer("max_form_fields", 1_000, -1, Integer.MAX_VALUE,
      "Fields of one form body (urlencoded or multipart); more gets 413 naming this key. A field may be as large as "
        + "`max_body_bytes`. -1 = no limit."),
    Key.integer("ready_timeout_ms", 1_000, 10, 60_000,
      "How long `/ready` waits for each check (a service's health procedure, the cluster) before counting it down; "
        + "below `request_timeout_ms`."));

  private static List<Key> withFixture(Key... own) {
    List<Key> keys = new ArrayList<>(List.of(own));
    keys.addAll(FixtureSettings.KEYS);
    return List.copyOf(keys);
  }

  /** A server's own keys followed by {@link #KEYS}. */
  public static Key[] keysAnd(List<Key> own) {
    List<Key> keys = new ArrayList<>(own);
    keys.addAll(KEYS);
    return keys.toArray(Key[]::new);
  }

  /**
   * From the values of a section with {@link #KEYS}. Whatever a request may wait for must end before the request
   * deadline would answer 503 in its place.
   */
  public static WebSettings from(Values values) {
    int deadline = values.integer("request_timeout_ms");
    for (String key : List.of("echo_max_delay_ms", "stats_timeout_ms", "service_timeout_ms", "ready_timeout_ms")) {
      if (values.integer(key) >= deadline) {
        values.problem(key, "must be below " + values.name("request_timeout_ms") + " (" + deadline + "), got " + values.integer(key));
      }
    }
    return new WebSettings(values.text("web_root"), values.integer("max_header_bytes"), values.integer("max_body_bytes"),
      values.integer("header_timeout_ms"), deadline, values.integer("idle_timeout_ms"), values.integer("echo_max_delay_ms"),
      values.integer("stats_timeout_ms"), values.integer("service_timeout_ms"), values.integer("doh_cache_ms"),
      values.flag("eventbus_bridge"),
      values.integer("max_connections"), values.integer("max_form_fields"), FixtureSettings.from(values, deadline),
      values.integer("ready_timeout_ms"), true);
  }

  /** These settings for a server that leaves {@code /metrics} to the management port. */
  public WebSettings withoutMetrics() {
    return new WebSettings(webRoot, maxHeaderBytes, maxBodyBytes, headerTimeoutMs, requestTimeoutMs, idleTimeoutMs,
      echoMaxDelayMs, statsTimeoutMs, serviceTimeoutMs, dohCacheMs, eventbusBridge, maxConnections, maxFormFields, fixture,
      readyTimeoutMs, false);
  }
}
