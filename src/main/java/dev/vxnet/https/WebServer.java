package dev.vxnet.https;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.LatencyWindow;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.logging.AccessLog;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.HalfClosure;
import dev.vxnet.net.Listening;
import dev.vxnet.net.TlsAcceptGate;
import dev.vxnet.web.Responses;
import dev.vxnet.web.WebSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the HTTPS and plain HTTP servers share: the limits from configuration, per-connection header deadlines, and
 * the counters of one verticle instance (requests, responses by class, bytes, connections, client aborts), reported
 * on the event bus for {@code /api/stats}. {@link #router()} starts every router with the handler that counts each request.
 */
final class WebServer {

  private final Vertx vertx;
  private final String service;
  private final String host;
  private final int port;
  private final WebSettings settings;
  private final Counters counters;
  private final ConnectionGuard guard;
  private final LongAdder requests;
  private final LongAdder http2Requests;
  private final LongAdder invalidRequests;
  private final LongAdder bytesIn;
  private final LongAdder bytesOut;
  private final LongAdder clientAborts;
  private final LongAdder[] responsesByClass = new LongAdder[6];
  private final LatencyWindow latency;
  private final boolean compression;
  private final ConnectionLimit limit;
  private HttpServer server;

  /**
   * The server of {@code service} on {@code host:port} (0: one free port its instances share), compressing text
   * answers when {@code compression} ({@link Compressible}).
   */
  WebServer(Vertx vertx, String service, String host, int port, WebSettings settings, boolean compression) {
    this.vertx = vertx;
    this.service = service;
    this.host = host;
    this.port = port;
    this.settings = settings;
    this.compression = compression;
    this.counters = new Counters(service);
    this.limit = ConnectionLimit.shared(vertx, service, settings.maxConnections());
    this.guard = new ConnectionGuard(vertx, settings.headerTimeoutMs(), counters, limit);
    this.requests = counters.counter("requests");
    this.http2Requests = counters.counter("http2_requests");
    this.invalidRequests = counters.counter("invalid_requests");
    for (int i = 1; i <= 5; i++) {
      responsesByClass[i] = counters.counter("responses_" + i + "xx");
    }
    this.bytesIn = counters.counter("bytes_in");
    this.bytesOut = counters.counter("bytes_out");
    this.clientAborts = counters.counter("client_aborts");
    this.latency = counters.latency("request");
  }

  /** This verticle instance's counters; {@link Counters#instance()} identifies it in answers, e.g. {@code https#3}. */
  Counters counters() {
    return counters;
  }

  /**
   * Server options with the configured limits; the caller adds TLS. Plain HTTP speaks HTTP/1.1 only: with h2c on,
   * Vert.x would hand over a connection only once its first request (or preface) is complete, so the header deadline
   * could not start at accept. Forms may use the whole body limit: a field as large as {@code max_body_bytes}, at most
   * {@code max_form_fields} fields (vertx-web's defaults, 8 KiB and 256, answered a bare 400 far below the limit).
   */
  HttpServerOptions options() {
    int maxHeaderBytes = settings.maxHeaderBytes();
    return new HttpServerOptions()
      .setHttp2ClearTextEnabled(false)
      .setMaxFormAttributeSize(settings.maxBodyBytes())
      .setMaxFormBufferedBytes(settings.maxBodyBytes())
      .setMaxFormFields(settings.maxFormFields())
      .setHost(host)
      .setPort(port == 0 ? sharedRandomPort() : port)
      .setTcpNoDelay(true)
      .setCompressionSupported(compression)
      .setCompressors(Compressible.COMPRESSORS)
      .setMaxHeaderSize(maxHeaderBytes)
      .setInitialSettings(new Http2Settings().setMaxHeaderListSize(maxHeaderBytes))
      .setIdleTimeout(settings.idleTimeoutMs())
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
      .setSslHandshakeTimeout(settings.headerTimeoutMs())
      .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /**
   * Port 0 asks for a free port; Vert.x gives every instance its own unless the port is negative, in which case the
   * instances that use the same negative number share one random port. Each service needs its own number.
   */
  private int sharedRandomPort() {
    return switch (service) {
      case "https" -> -1;
      case "http" -> -2;
      default -> -3;
    };
  }

  /**
   * A router whose first handlers write the access log (unless switched off), count the request, measure the time to
   * its answer's head (the {@code request} latency window) and tell the connection guard when it starts and ends.
   */
  Router router() {
    Router router = Router.router(vertx);
    AccessLog.of(vertx, service).ifPresent(log -> router.route().handler(log));
    router.route().handler(ctx -> {
      long started = latency.now();
      HttpServerRequest request = ctx.request();
      HttpConnection connection = ScreenedRequest.unwrap(request.connection());
      requests.increment();
      Responses.settings(ctx, settings);
      // time to the answer's head: a stream (SSE, a large file) counts until its head is sent, not while it flows
      ctx.addHeadersEndHandler(v -> latency.recordSince(started));
      if (request.version() == HttpVersion.HTTP_2) {
        http2Requests.increment();
      }
      guard.requestStarted(connection, request); // a WebSocket upgrade stays "in progress" until its connection closes
      Responses.countClientAbortsIn(ctx, clientAborts);
      ctx.addEndHandler(ended -> {
        guard.requestEnded(connection);
        int statusClass = ctx.response().getStatusCode() / 100;
        if (statusClass >= 1 && statusClass <= 5) {
          responsesByClass[statusClass].increment();
        }
        bytesIn.add(request.bytesRead());
        bytesOut.add(ctx.response().bytesWritten());
      });
      if (compression) {
        // Vert.x compresses every answer the client accepts compressed; only text is worth it
        ctx.addHeadersEndHandler(v -> Compressible.markIdentityUnlessText(request, ctx.response()));
      }
      ctx.next();
    });
    return router;
  }

  /**
   * Listens with {@code router} behind the {@link FrontDoor}; {@code strictTransportSecurity} is the HSTS header value
   * of every answer, or {@code null} for none.
   */
  Future<HttpServer> listen(HttpServerOptions options, Router router, String strictTransportSecurity) {
    HttpServer server = vertx.createHttpServer(options)
      .connectionHandler(connection -> {
        if (guard.admit(connection)) {
          Http2AuthorityScreen.install(connection, invalidRequests);
          Http1VersionScreen.install(connection);
          HalfClosure.onInputEnd(connection, () -> guard.readingBody(connection), () -> guard.inputEnded(connection)); // a client's FIN: its answer is still written, then the connection closes
        }
      })
      .invalidRequestHandler(request -> {
        invalidRequests.increment(); // malformed, or over max_header_bytes: answered 400/414/431 by Vert.x
        if (request.decoderResult().cause() instanceof Http1VersionScreen.UnknownVersion unknown) {
          FrontDoor.refuse(request, unknown.getMessage());
        } else {
          HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request);
        }
      })
      .requestHandler(new FrontDoor(router, strictTransportSecurity, invalidRequests));
    this.server = server;
    if (options.isSsl() && options.getPort() > 0) {
      TlsAcceptGate.register(vertx, options.getPort(), limit, counters.counter("refused")); // before any connection
    }
    return StatsReporter.register(vertx, counters)
      .compose(v -> {
        Listening.record(service, host, options.getPort()); // port 0 is asked as a shared random port (negative)
        return Listening.describe(server.listen(), service, host, port);
      })
      .onSuccess(s -> {
        if (options.isSsl()) {
          TlsAcceptGate.register(vertx, s.actualPort(), limit, counters.counter("refused"));
        }
        Listening.bound(vertx, service, host, s.actualPort());
      });
  }

  /**
   * The drain when the node stops: no new connections; an HTTP/1.1 connection closes after the response in progress
   * (at once when idle), an HTTP/2 one gets GOAWAY and closes after its open streams; what is left is closed at
   * {@code node.shutdown_timeout_ms}.
   */
  Future<Void> drain() {
    return server == null ? Future.succeededFuture() : server.shutdown(Node.drainTimeoutMs(vertx), TimeUnit.MILLISECONDS);
  }
}
