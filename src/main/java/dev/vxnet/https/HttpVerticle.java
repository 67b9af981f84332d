package dev.vxnet.https;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.net.Listening;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import dev.vxnet.web.ServerContext;
import dev.vxnet.web.WebSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.logging.Logger;

/**
 * Plain HTTP: redirects every request to HTTPS but the route groups that must stay on plain HTTP ({@code /health}),
 * or, with {@code redirect} off, serves the same application as HTTPS without TLS (there static files go out with
 * zero-copy {@code sendfile}).
 */
public final class HttpVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("http", 8080,
    "Plain HTTP: redirects to HTTPS (except /health), or serves the HTTPS application without TLS.", WebSettings.keysAnd(List.of(
      Key.flag("redirect", true, "Redirect to HTTPS (301 for GET/HEAD, 308 otherwise); false serves the application here too."),
      Key.integer("redirect_port", null, 1, 65535,
        "HTTPS port in redirect URLs; unset means the port the https service bound on this node. 443 is left out of the URL."))));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private final List<RouteGroup> groups;
  private WebServer server;

  /** Deployed on its own (by class name): the web servers' own routes only ({@link HttpsRoutes#OWN}). */
  public HttpVerticle() {
    this(HttpsRoutes.OWN);
  }

  /** Serving {@code groups} (MainVerticle passes {@code Services.ROUTES}). */
  public HttpVerticle(List<RouteGroup> groups) {
    this.groups = List.copyOf(groups);
  }

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    WebSettings settings = WebSettings.from("http", config);
    server = new WebServer(vertx, "http", config);
    ServerContext context = new ServerContext(vertx, server.instance(), settings);
    Router router = server.router();
    if (!config.getBoolean("redirect")) {
      return vertx.executeBlocking(() -> WebRoot.resolve(vertx, "http", config)).compose(webRoot -> {
        LOG.info(() -> "http: " + server.instance() + ": serving the application without TLS, static files from " + webRoot.path());
        return server.listen(RouteGroup.serverOptions(server.options(), groups, Listener.APPLICATION, settings),
          WebApp.mount(router, groups, context, webRoot));
      });
    }
    int httpsPort = httpsPort(config);
    RouteGroup.mountAll(router, groups, Listener.REDIRECTING_HTTP, context);
    router.route().handler(new HttpsRedirect(httpsPort));
    router.route().failureHandler(Responses::failure);
    return server.listen(RouteGroup.serverOptions(server.options(), groups, Listener.REDIRECTING_HTTP, settings), router);
  }

  private int httpsPort(JsonObject config) {
    Integer configured = config.getInteger("redirect_port");
    if (configured != null) {
      return configured;
    }
    int bound = Listening.port(vertx, "https");
    if (bound < 0) {
      throw new ConfigException("http.redirect_port: required when http.redirect is true and no https service runs on this node");
    }
    return bound;
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
