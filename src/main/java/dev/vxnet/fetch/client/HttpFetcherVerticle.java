package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.ErrorReply;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The fetch service: {@code vxnet.fetch} (one URL) and {@code vxnet.fetch.batch} (many, with bounded concurrency)
 * over pooled HTTP(S) clients, behind the SSRF guard. No listening port: callers reach it over the event bus.
 */
public final class HttpFetcherVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger("vxnet");

  public static final Section CONFIG = Section.busService("fetch", "HTTP(S) fetch service on the event bus (vxnet.fetch, vxnet.fetch.batch).",
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

  private HttpClient plain;
  private HttpClient tls;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    List<String> problems = new ArrayList<>();
    FetchLimits limits = collecting(problems, () -> FetchLimits.from(config));
    AddressGuard guard = collecting(problems, () -> AddressGuard.fromConfig(config.getJsonArray("allow")));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Counters counters = new Counters("fetch");
    ConnectionTracker tracker = new ConnectionTracker(counters);
    return FetchTrust.load(vertx, config.getString("ca_file")).compose(trust -> {
      plain = client(config, tracker, false, trust);
      tls = client(config, tracker, true, trust);
      Fetcher fetcher = new Fetcher(vertx, plain, tls, guard, tracker, limits.userAgent(), counters);
      FetchService service = new FetchService(fetcher, limits, counters);
      if (config.getBoolean("trust_all")) {
        LOG.warning("fetch: fetch.trust_all=true: TLS certificates and host names of fetched origins are NOT verified; "
          + "anyone on the path can impersonate any https origin. Never use this outside tests.");
      }
      String engine = config.getBoolean("openssl") && OpenSSLEngineOptions.isAvailable() ? "OpenSSL (BoringSSL)" : "JDK";
      LOG.info(() -> "fetch: SSRF guard allows " + guard.describeAllowlist() + " besides public addresses; "
        + config.getInteger("max_connections_per_origin") + " connections per origin, keep_alive "
        + config.getBoolean("keep_alive") + ", TLS engine " + engine);
      return Future.all(
        vertx.eventBus().<Object>consumer(Addresses.FETCH, message -> answer(message, service::fetch)).completion(),
        vertx.eventBus().<Object>consumer(Addresses.FETCH_BATCH, message -> answer(message, service::batch)).completion(),
        StatsReporter.register(vertx, counters));
    });
  }

  @Override
  public Future<?> stop() {
    return Future.all(plain == null ? Future.succeededFuture() : plain.close(),
      tls == null ? Future.succeededFuture() : tls.close());
  }

  /** Runs one validation, adding its problems to {@code problems}, so that one start reports them all. */
  private static <T> T collecting(List<String> problems, Supplier<T> validation) {
    try {
      return validation.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private static void answer(Message<Object> message, Function<JsonObject, Future<JsonObject>> handler) {
    if (message.body() instanceof JsonObject body) {
      handler.apply(body).onComplete(reply -> message.reply(reply.succeeded() ? reply.result()
        : ErrorReply.of(ErrorCode.INTERNAL, "fetch failed unexpectedly: " + reply.cause())));
    } else {
      message.reply(ErrorReply.of(ErrorCode.BAD_REQUEST, "expected a JSON object, got "
        + (message.body() == null ? "no body" : message.body().getClass().getSimpleName())));
    }
  }

  /**
   * A pooled HttpClient (not WebClient: the fetcher needs the response as a stream to cut it at the byte limit, and
   * the connection of each request to report reuse; WebClient hides both and adds nothing else used here).
   */
  private HttpClient client(JsonObject config, ConnectionTracker tracker, boolean forTls, TrustOptions trust) {
    int idleSeconds = config.getInteger("idle_timeout_s");
    boolean h2 = forTls && config.getBoolean("http2_multiplexing");
    HttpClientOptions options = new HttpClientOptions()
      .setKeepAlive(config.getBoolean("keep_alive"))
      .setKeepAliveTimeout(idleSeconds)
      .setHttp2KeepAliveTimeout(idleSeconds)
      .setTcpNoDelay(true)
      .setDecompressionSupported(false)
      .setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
      .setUseAlpn(h2)
      .setName(forTls ? "vxnet-fetch-https" : "vxnet-fetch-http");
    if (forTls) {
      if (config.getBoolean("openssl") && OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
      }
      if (config.getBoolean("trust_all")) {
        options.setTrustAll(true).setVerifyHost(false);
      } else {
        options.setVerifyHost(true);
        if (trust != null) {
          options.setTrustOptions(trust);
        }
      }
    }
    PoolOptions pool = new PoolOptions()
      .setHttp1MaxSize(config.getInteger("max_connections_per_origin"))
      .setHttp2MaxSize(1);
    return vertx.httpClientBuilder().with(options).with(pool).withConnectHandler(tracker::opened).build();
  }
}
