package dev.vxnet.https;

import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.web.NoMatchingRoute;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import dev.vxnet.web.ServerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Plain HTTP: redirects every request to HTTPS but the route groups that must stay on plain HTTP ({@code /health}, the
 * test fixture; a wrong method on their paths is 405 here),
 * or, with {@code redirect} off, serves the same application as HTTPS without TLS (there static files go out with
 * zero-copy {@code sendfile}).
 */
public final class HttpVerticle extends ConfiguredVerticle<HttpSettings> {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final List<RouteGroup> groups;

  /**
   * Deployed on its own (by class name): its {@code http} section is the deployment config ({@code redirect_port} is
   * then required to redirect); the web servers' own routes only.
   */
  public HttpVerticle() {
    this(null, HttpsRoutes.OWN);
  }

  /** Serving {@code groups} (MainVerticle passes {@code Services.ROUTES}). */
  public HttpVerticle(HttpSettings settings, List<RouteGroup> groups) {
    super(HttpSettings.SECTION, settings);
    this.groups = List.copyOf(groups);
  }

  /** Finds (or unpacks) the web root when this server serves the application, off the event loop. */
  public static Future<?> preflight(Vertx vertx, HttpSettings settings) {
    return settings.redirect() ? Future.succeededFuture()
      : vertx.executeBlocking(() -> WebRoot.resolve(vertx, "http", settings.web().webRoot()), false);
  }

  private WebServer server;

  @Override
  public Future<?> start() {
    HttpSettings settings = settings();
    server = new WebServer(vertx, "http", settings.host(), settings.port(), settings.web(), settings.compression());
    ServerContext context = new ServerContext(vertx, server.counters(), settings.web());
    Router router = server.router();
    if (!settings.redirect()) {
      return preflight(vertx, settings).map(WebRoot.class::cast).compose(webRoot -> {
        LOG.info("http: " + server.counters().instance() + ": serving the application without TLS, static files from " + webRoot.path());
        return server.listen(RouteGroup.serverOptions(server.options(), groups, Listener.APPLICATION, settings.web()),
          WebApp.mount(router, groups, context, webRoot), null);
      });
    }
    HttpsRedirect redirect = new HttpsRedirect(settings.httpsPort());
    RouteGroup.mountAll(router, groups, Listener.REDIRECTING_HTTP, context);
    router.route().handler(NoMatchingRoute.methodNotAllowedOrNext(router)); // a wrong method on a path served here
    router.route().handler(redirect);
    router.route().failureHandler(Responses::failure);
    return server.listen(RouteGroup.serverOptions(server.options(), groups, Listener.REDIRECTING_HTTP, settings.web()), router, null);
  }

  /** Drains the server ({@link WebServer#drain}). */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.drain();
  }
}
