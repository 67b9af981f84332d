package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Values;
import io.vertx.core.json.JsonArray;

import java.util.List;

/**
 * The {@code fetch} section, checked: per-request limits in order, the SSRF guard's allow list parsed.
 *
 * @param limits                  per-request defaults and ceilings
 * @param guard                   the SSRF guard with {@code allow} opened
 * @param maxConnectionsPerOrigin HTTP/1.1 connections per origin and instance
 * @param http2Multiplexing       offer HTTP/2 to https origins
 * @param keepAlive               reuse connections
 * @param idleTimeoutS            close a pooled connection idle this long, seconds
 * @param caFile                  extra trusted CA bundle (PEM), or {@code null}
 * @param openssl                 BoringSSL when it loads
 * @param trustAll                no TLS verification at all (tests only)
 */
public record FetchSettings(FetchLimits limits, AddressGuard guard, int maxConnectionsPerOrigin, boolean http2Multiplexing,
                            boolean keepAlive, int idleTimeoutS, String caFile, boolean openssl, boolean trustAll) {

  public static final Section<FetchSettings> SECTION = Section.busService("fetch",
    "HTTP(S) fetch service on the event bus (vxnet.fetch, vxnet.fetch.batch).", FetchSettings::from,
    Key.list("allow", List.of(),
      "Destinations the SSRF guard lets through although non-public: IP addresses, CIDRs (`10.0.0.0/8`, `fd00::/8`), "
        + "host names (`intranet.example`) or `*.domain` (its subdomains)."),
    Key.integer("max_connections_per_origin", 8, 1, 1024,
      "HTTP/1.1 connections per origin (scheme, host, port, address) and verticle instance; more requests wait for one."),
    Key.flag("http2_multiplexing", true,
      "Offer HTTP/2 by ALPN to https origins: one connection per origin carries concurrent requests. Plain http is HTTP/1.1."),
    Key.flag("keep_alive", true, "Keep connections open for reuse; false opens a connection per request."),
    Key.integer("idle_timeout_s", 60, 1, 3600,
      "Close a pooled connection idle this long (whole seconds: the unit Vert.x keeps keep-alive timeouts in)."),
    Key.integer("timeout_ms", 10_000, 1, 600_000, "Default time for a whole fetch (DNS, connect, TLS, response, redirects)."),
    Key.integer("max_timeout_ms", 60_000, 1, 600_000, "Largest `timeout_ms` a request may ask for."),
    Key.integer("response_bytes", 1 << 20, 0, 64 << 20, "Default limit of a response body, in bytes."),
    Key.integer("max_response_bytes", 16 << 20, 0, 64 << 20, "Largest `max_bytes` a request may ask for."),
    Key.integer("max_redirects", 5, 0, 20, "Redirects followed at most (and the default); each hop is checked by the guard."),
    Key.integer("batch_max", 1000, 1, 100_000, "Requests in one batch at most."),
    Key.integer("batch_concurrency", 10, 1, 10_000, "Default number of a batch's requests in flight at once."),
    Key.integer("batch_concurrency_max", 64, 1, 10_000, "Largest `concurrency` a batch may ask for."),
    Key.integer("batch_deadline_ms", 120_000, 1, 3_600_000,
      "Time a whole batch may take (and the largest `deadline_ms`); what has not finished by then is a TIMEOUT result."),
    Key.text("ca_file", null, "PEM bundle of CA certificates trusted in addition to the JVM's trust store."),
    Key.flag("openssl", true,
      "TLS with BoringSSL (netty-tcnative) when it loads on this platform, else the JDK's engine (logged at start)."),
    Key.flag("trust_all", false,
      "Accept any certificate and host name: no TLS verification at all. For tests only; logged as a warning at start."),
    Key.text("user_agent", "vxnet-fetch/0.1", "User-Agent sent when a request sets none."));

  private static FetchSettings from(Values values) {
    AddressGuard guard = null;
    try {
      guard = AddressGuard.fromConfig(new JsonArray(values.list("allow")));
    } catch (ConfigException invalid) {
      values.problems(invalid.problems());
    }
    return new FetchSettings(FetchLimits.from(values), guard, values.integer("max_connections_per_origin"),
      values.flag("http2_multiplexing"), values.flag("keep_alive"), values.integer("idle_timeout_s"), values.text("ca_file"),
      values.flag("openssl"), values.flag("trust_all"));
  }
}
