package dev.vxnet.https;

import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.ServerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The HTTPS server: TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN, serving {@link WebApp} with its route groups. */
public final class HttpsServerVerticle extends ConfiguredVerticle<HttpsSettings> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpsServerVerticle.class);

  private final List<RouteGroup> groups;

  /** Deployed on its own (by class name): its {@code https} section is the deployment config; its own routes only. */
  public HttpsServerVerticle() {
    this(null, HttpsRoutes.OWN);
  }

  /** Serving {@code groups} (MainVerticle passes {@code Services.ROUTES}). */
  public HttpsServerVerticle(HttpsSettings settings, List<RouteGroup> groups) {
    super(HttpsSettings.SECTION, settings);
    this.groups = List.copyOf(groups);
  }

  /**
   * Loads and checks the certificate files and the web root, once per node (the instances reuse them), off the event
   * loop: MainVerticle runs it before any service binds a port.
   */
  public static Future<?> preflight(Vertx vertx, HttpsSettings settings) {
    return vertx.executeBlocking(() -> new Prepared(TlsMaterial.shared(vertx, "https", settings.tls()),
      WebRoot.resolve(vertx, "https", settings.web().webRoot())), false);
  }

  private WebServer server;

  @Override
  public Future<?> start() {
    HttpsSettings settings = settings();
    server = new WebServer(vertx, "https", settings.host(), settings.port(), settings.web(), settings.compression());
    ServerContext context = new ServerContext(vertx, server.counters(), settings.web());
    return preflight(vertx, settings).map(Prepared.class::cast)
      .compose(prepared -> {
        HttpServerOptions options = RouteGroup.serverOptions(server.options(), groups, RouteGroup.Listener.APPLICATION, settings.web());
        String engine = TlsOptions.apply(options, prepared.tls(), settings.tls());
        LOG.info("https: " + server.counters().instance() + ": TLS engine " + engine + "; certificate " + prepared.tls().description()
          + "; client certificates " + settings.tls().clientAuth() + "; static files from " + prepared.webRoot().path()
          + " (" + prepared.webRoot().origin() + ")");
        return server.listen(options, WebApp.mount(server.router(), groups, context, prepared.webRoot()),
          settings.tls().strictTransportSecurity());
      });
  }

  /** Drains the server ({@link WebServer#drain}). */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.drain();
  }

  private record Prepared(TlsMaterial tls, WebRoot webRoot) {
  }
}
