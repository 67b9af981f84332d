package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.ErrorReply;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The fetch service: {@code vxnet.fetch} (one URL) and {@code vxnet.fetch.batch} (many, with bounded concurrency)
 * over pooled HTTP(S) clients, behind the SSRF guard. No listening port: callers reach it over the event bus.
 */
public final class HttpFetcherVerticle extends ConfiguredVerticle<FetchSettings> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpFetcherVerticle.class);

  /** Deployed on its own: its {@code fetch} section is the deployment config. */
  public HttpFetcherVerticle() {
    this(null);
  }

  public HttpFetcherVerticle(FetchSettings settings) {
    super(FetchSettings.SECTION, settings);
  }

  /** Reads {@code fetch.ca_file}, if set, off the event loop: MainVerticle runs it before any service binds a port. */
  public static Future<?> preflight(Vertx vertx, FetchSettings settings) {
    return FetchTrust.load(vertx, settings.caFile());
  }

  @Override
  public Future<?> start() {
    FetchSettings settings = settings();
    FetchLimits limits = settings.limits();
    AddressGuard guard = settings.guard();
    Counters counters = new Counters("fetch");
    ConnectionTracker tracker = new ConnectionTracker(counters);
    // what connections_open is measured against: the pool's bound per origin (HTTP/1.1) on this instance
    counters.detail("max_connections_per_origin", settings::maxConnectionsPerOrigin);
    return FetchTrust.load(vertx, settings.caFile()).compose(trust -> {
      HttpClient plain = client(settings, tracker, false, trust);
      HttpClient tls = client(settings, tracker, true, trust);
      Fetcher fetcher = new Fetcher(vertx, plain, tls, guard, tracker, limits.userAgent(), counters);
      FetchService service = new FetchService(fetcher, limits, counters);
      if (settings.trustAll()) {
        LOG.warn("fetch: fetch.trust_all=true: TLS certificates and host names of fetched origins are NOT verified; "
          + "anyone on the path can impersonate any https origin. Never use this outside tests.");
      }
      String engine = settings.openssl() && OpenSSLEngineOptions.isAvailable() ? "OpenSSL (BoringSSL)" : "JDK";
      LOG.info("fetch: SSRF guard allows " + guard.describeAllowlist() + " besides public addresses; "
        + settings.maxConnectionsPerOrigin() + " connections per origin, keep_alive "
        + settings.keepAlive() + ", TLS engine " + engine);
      return Future.all(
        vertx.eventBus().<Object>consumer(Addresses.FETCH, message -> answer(message, service::fetch)).completion(),
        vertx.eventBus().<Object>consumer(Addresses.FETCH_BATCH, message -> answer(message, service::batch)).completion(),
        StatsReporter.register(vertx, counters));
    });
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
  private HttpClient client(FetchSettings settings, ConnectionTracker tracker, boolean forTls, TrustOptions trust) {
    int idleSeconds = settings.idleTimeoutS();
    boolean h2 = forTls && settings.http2Multiplexing();
    HttpClientOptions options = new HttpClientOptions()
      .setKeepAlive(settings.keepAlive())
      .setKeepAliveTimeout(idleSeconds)
      .setHttp2KeepAliveTimeout(idleSeconds)
      .setTcpNoDelay(true)
      .setDecompressionSupported(false)
      .setProtocolVersion(h2 ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1)
      .setUseAlpn(h2)
      .setName(forTls ? "vxnet-fetch-https" : "vxnet-fetch-http")
      .setMetricsName(forTls ? "vxnet-fetch-https" : "vxnet-fetch-http"); // client_name of vertx_http_client_* metrics
    if (forTls) {
      if (settings.openssl() && OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
      }
      if (settings.trustAll()) {
        options.setTrustAll(true).setVerifyHost(false);
      } else {
        options.setVerifyHost(true);
        if (trust != null) {
          options.setTrustOptions(trust);
        }
      }
    }
    PoolOptions pool = new PoolOptions()
      .setHttp1MaxSize(settings.maxConnectionsPerOrigin())
      .setHttp2MaxSize(1);
    return vertx.httpClientBuilder().with(options).with(pool).withConnectHandler(tracker::opened).build();
  }
}
