package dev.vxnet.web;

import dev.vxnet.config.Key;
import dev.vxnet.config.Values;

import java.util.List;
import java.util.Locale;

/**
 * The bounds of the network test fixture (the httpbin catalogue, {@code /ws}, {@code /sse}; package
 * {@code dev.vxnet.fixture}) and its CORS policy: keys of every web server's section ({@code https}, {@code http}),
 * part of {@link WebSettings} as the echo's and the bridge's keys are, so that the fixture's route groups read them
 * from their {@link ServerContext}.
 *
 * @param enabled            serve the fixture at all
 * @param prefix             path prefix of every fixture route: empty, or {@code /name[/name...]}
 * @param maxDelayMs         the longest {@code /delay} and {@code /drip?delay=} wait before the answer's headers (ms)
 * @param maxBytes           the most bytes {@code /bytes}, {@code /stream-bytes}, {@code /range} and {@code /drip} send
 * @param maxStreamCount     the most JSON lines {@code /stream/{n}} sends
 * @param maxDurationMs      the longest a streaming answer ({@code /drip}, {@code /range?duration=}, {@code /sse}) may
 *                           take once its headers are sent (ms)
 * @param maxRedirects       the largest {@code n} of the {@code /redirect/{n}} family
 * @param redirectAllow      hosts {@code /redirect-to} may send clients to ({@code *}: any); relative URLs always
 * @param sseMaxEvents       the most events {@code /sse} sends
 * @param sseMaxIntervalMs   the longest pause between two events of {@code /sse} (ms)
 * @param wsMaxMessageBytes  the largest WebSocket message {@code /ws} echoes; a larger one closes it with 1009
 * @param wsMaxDurationMs    the longest a {@code /ws} WebSocket stays open; then it is closed with 1001 (ms)
 * @param cors               answer CORS requests and preflights on the fixture's routes
 * @param corsOrigins        origins allowed ({@code *}: any)
 * @param corsCredentials    allow credentials (cookies, authorization) cross-origin
 */
public record FixtureSettings(boolean enabled, String prefix, long maxDelayMs, long maxBytes, int maxStreamCount,
                              long maxDurationMs, int maxRedirects, List<String> redirectAllow, int sseMaxEvents,
                              long sseMaxIntervalMs, int wsMaxMessageBytes, long wsMaxDurationMs, boolean cors,
                              List<String> corsOrigins,
                              boolean corsCredentials) {

  /** The keys every web server section carries (see docs/fixture.md). */
  public static final List<Key> KEYS = List.of(
    Key.flag("httpbin", true,
      "Serve the network test fixture: the httpbin catalogue, `/ws` and `/sse` (docs/fixture.md). On plain HTTP it is "
        + "served even while `redirect` sends everything else to HTTPS."),
    Key.text("httpbin_prefix", "", "(/[A-Za-z0-9._~-]+)*",
      "Path prefix of every fixture route, e.g. `/httpbin`; empty serves `/get`, `/ws`, ... at the root, ahead of "
        + "static files of the same path."),
    Key.integer("httpbin_max_delay_ms", 10_000, 0, 3_600_000,
      "Longest wait `/delay/{s}` and `/drip?delay=` accept before the answer starts; below `request_timeout_ms`."),
    Key.integer("httpbin_max_bytes", 10 << 20, 1, 1 << 30,
      "Most bytes `/bytes`, `/stream-bytes`, `/range` and `/drip` send (streamed in chunks, never held whole)."),
    Key.integer("httpbin_max_stream_count", 100, 1, 100_000, "Most JSON lines `/stream/{n}` sends."),
    Key.integer("httpbin_max_duration_ms", 60_000, 1, 3_600_000,
      "Longest a streaming answer (`/drip`, `/range?duration=`, `/sse`) may take once started."),
    Key.integer("httpbin_max_redirects", 100, 1, 100_000, "Largest `n` of `/redirect/{n}` and its relatives."),
    Key.list("httpbin_redirect_allow", List.of(),
      "Hosts `/redirect-to?url=` may send clients to (`host` or `host:port`; `*` allows any: an open redirect). "
        + "Relative URLs are always allowed; empty allows only them."),
    Key.integer("sse_max_events", 1_000, 1, 1_000_000, "Most events one `/sse` stream sends."),
    Key.integer("sse_max_interval_ms", 10_000, 1, 3_600_000, "Longest pause `/sse?interval_ms=` accepts between events."),
    Key.integer("ws_max_message_bytes", 65_536, 1, 16 << 20,
      "Largest WebSocket message `/ws` echoes; a larger one closes the WebSocket with 1009 (message too big)."),
    Key.integer("ws_max_duration_ms", 600_000, 1, 86_400_000,
      "Longest a `/ws` WebSocket stays open, however busy; then it is closed with 1001 (going away)."),
    Key.flag("cors", true, "Answer CORS requests and preflights (OPTIONS) on the fixture's routes."),
    Key.list("cors_origins", List.of("*"),
      "Origins allowed cross-origin on the fixture's routes (`https://app.example:8080`); `*` allows any."),
    Key.flag("cors_credentials", false,
      "Allow credentials cross-origin (`Access-Control-Allow-Credentials: true`); then `*` reflects the request's origin."));

  public FixtureSettings {
    redirectAllow = List.copyOf(redirectAllow);
    corsOrigins = List.copyOf(corsOrigins);
  }

  /**
   * From the values of a section with {@link #KEYS}; {@code requestTimeoutMs} is the section's request deadline, which
   * every wait before an answer starts must stay below. Problems go to {@code values}, naming the key.
   */
  static FixtureSettings from(Values values, int requestTimeoutMs) {
    FixtureSettings settings = new FixtureSettings(values.flag("httpbin"), values.text("httpbin_prefix"),
      values.integer("httpbin_max_delay_ms"), values.integer("httpbin_max_bytes"), values.integer("httpbin_max_stream_count"),
      values.integer("httpbin_max_duration_ms"), values.integer("httpbin_max_redirects"), values.list("httpbin_redirect_allow"),
      values.integer("sse_max_events"), values.integer("sse_max_interval_ms"), values.integer("ws_max_message_bytes"),
      values.integer("ws_max_duration_ms"), values.flag("cors"), values.list("cors_origins"), values.flag("cors_credentials"));
    if (settings.maxDelayMs >= requestTimeoutMs) {
      values.problem("httpbin_max_delay_ms", "must be below " + values.name("request_timeout_ms") + " (" + requestTimeoutMs
        + "), got " + settings.maxDelayMs);
    }
    for (String origin : settings.corsOrigins) {
      if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
        values.problem("cors_origins", "expected `*` or origins such as https://app.example:8443 (scheme, host, optional "
          + "port, nothing else), got " + origin);
      }
    }
    for (String host : settings.redirectAllow) {
      if (!host.equals("*") && !host.matches("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
        values.problem("httpbin_redirect_allow", "expected `*` or host names with an optional port (example.com, "
          + "127.0.0.1:8080), got " + host);
      }
    }
    return settings;
  }

  /** Whether {@code /redirect-to} may send a client to {@code host} (lower case) on {@code port} (-1: none given). */
  public boolean redirectAllowed(String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    return redirectAllow.stream().map(entry -> entry.toLowerCase(Locale.ROOT))
      .anyMatch(entry -> entry.equals("*") || entry.equals(lower) || (port >= 0 && entry.equals(lower + ":" + port))
        || (port >= 0 && entry.equals("[" + lower + "]:" + port)) || entry.equals("[" + lower + "]"));
  }
}
