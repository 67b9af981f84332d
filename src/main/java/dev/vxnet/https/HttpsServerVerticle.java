package dev.vxnet.https;

import dev.vxnet.bridge.BridgeLimits;
import dev.vxnet.bridge.SockJsBridge;
import dev.vxnet.config.Section;
import dev.vxnet.fixture.FixtureRoutes;
import dev.vxnet.fixture.FixtureSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.util.logging.Logger;

/** The HTTPS server: TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN, serving {@link WebApp}. */
public final class HttpsServerVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("https", 8443,
    "HTTPS: TLS 1.2/1.3, HTTP/2 and HTTP/1.1, static files, echo and stats API, the test fixture.",
    WebApp.keysAnd(TlsOptions.KEYS, WebApp.compression(true, "Under TLS files are never sent with zero-copy anyway.")));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private WebServer server;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    WebApp.validate("https", config);
    server = new WebServer(vertx, "https", config);
    return vertx.executeBlocking(() -> new Prepared(TlsMaterial.shared(vertx, "https", config), WebRoot.resolve(vertx, "https", config)))
      .compose(prepared -> {
        HttpServerOptions options = FixtureRoutes.limitWebSockets(
          SockJsBridge.limitWebSockets(server.options(), BridgeLimits.DEFAULTS), FixtureSettings.from("https", config));
        String engine = TlsOptions.apply(options, prepared.tls(), config);
        LOG.info(() -> "https: " + server.instance() + ": TLS engine " + engine + "; certificate " + prepared.tls().description()
          + "; client certificates " + config.getString("client_auth") + "; static files from " + prepared.webRoot().path()
          + " (" + prepared.webRoot().origin() + ")");
        return server.listen(options, WebApp.mount(server.router(), vertx, config, server, prepared.webRoot()));
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private record Prepared(TlsMaterial tls, WebRoot webRoot) {
  }
}
