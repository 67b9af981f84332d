package dev.vxnet.https;

import dev.vxnet.config.Section;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.ServerContext;
import dev.vxnet.web.WebSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.logging.Logger;

/** The HTTPS server: TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN, serving {@link WebApp} with its route groups. */
public final class HttpsServerVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("https", 8443,
    "HTTPS: TLS 1.2/1.3, HTTP/2 and HTTP/1.1, static files, echo and stats API.", WebSettings.keysAnd(TlsOptions.KEYS));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private final List<RouteGroup> groups;
  private WebServer server;

  /** Deployed on its own (by class name): its own routes only ({@link HttpsRoutes#OWN}). */
  public HttpsServerVerticle() {
    this(HttpsRoutes.OWN);
  }

  /** Serving {@code groups} (MainVerticle passes {@code Services.ROUTES}). */
  public HttpsServerVerticle(List<RouteGroup> groups) {
    this.groups = List.copyOf(groups);
  }

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    WebSettings settings = WebSettings.from("https", config);
    server = new WebServer(vertx, "https", config);
    ServerContext context = new ServerContext(vertx, server.instance(), settings);
    return vertx.executeBlocking(() -> new Prepared(TlsMaterial.shared(vertx, "https", config), WebRoot.resolve(vertx, "https", config)))
      .compose(prepared -> {
        HttpServerOptions options = RouteGroup.serverOptions(server.options(), groups, RouteGroup.Listener.APPLICATION, settings);
        String engine = TlsOptions.apply(options, prepared.tls(), config);
        LOG.info(() -> "https: " + server.instance() + ": TLS engine " + engine + "; certificate " + prepared.tls().description()
          + "; client certificates " + config.getString("client_auth") + "; static files from " + prepared.webRoot().path()
          + " (" + prepared.webRoot().origin() + ")");
        return server.listen(options, WebApp.mount(server.router(), groups, context, prepared.webRoot()));
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private record Prepared(TlsMaterial tls, WebRoot webRoot) {
  }
}
