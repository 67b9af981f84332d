package dev.vxnet.https;

import dev.vxnet.bridge.BridgeLimits;
import dev.vxnet.bridge.SockJsBridge;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.fixture.FixtureRoutes;
import dev.vxnet.fixture.FixtureSettings;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.logging.Logger;

/**
 * Plain HTTP: redirects every request but {@code /health} and the test fixture's routes to HTTPS, or, with
 * {@code redirect} off, serves the same
 * application as HTTPS without TLS (there static files go out with zero-copy {@code sendfile}).
 */
public final class HttpVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("http", 8080,
    "Plain HTTP: redirects to HTTPS (except /health and the test fixture), or serves the HTTPS application without TLS.", WebApp.keysAnd(List.of(
      Key.flag("redirect", true, "Redirect to HTTPS (301 for GET/HEAD, 308 otherwise); false serves the application here too."),
      Key.integer("redirect_port", null, 1, 65535,
        "HTTPS port in redirect URLs; unset means the port the https service bound on this node. 443 is left out of the URL.")),
      WebApp.compression(false, "Off by default here: on, plain HTTP loses zero-copy `sendfile` for every file.")));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private WebServer server;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    WebApp.validate("http", config);
    server = new WebServer(vertx, "http", config);
    FixtureSettings fixture = FixtureSettings.from("http", config);
    Router router = server.router();
    if (!config.getBoolean("redirect")) {
      return vertx.executeBlocking(() -> WebRoot.resolve(vertx, "http", config)).compose(webRoot -> {
        LOG.info(() -> "http: " + server.instance() + ": serving the application without TLS, static files from " + webRoot.path());
        return server.listen(FixtureRoutes.limitWebSockets(SockJsBridge.limitWebSockets(server.options(), BridgeLimits.DEFAULTS), fixture),
          WebApp.mount(router, vertx, config, server, webRoot));
      });
    }
    int httpsPort = httpsPort(config);
    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(WebApp.health(server.instance()));
    // httpbin clients speak plain HTTP: the fixture answers here too, under the same deadline and body limit
    FixtureRoutes.mountUpgrades(router, fixture);
    if (fixture.enabled()) {
      router.route().handler(new RequestDeadline(config.getInteger("request_timeout_ms")));
      FixtureRoutes.mount(router, fixture, config.getInteger("max_body_bytes"));
      router.route().handler(NoMatchingRoute.methodNotAllowedOrNext(router)); // a wrong method on a fixture path
    }
    router.route().handler(new HttpsRedirect(httpsPort));
    router.route().failureHandler(ErrorResponses::failure);
    return server.listen(FixtureRoutes.limitWebSockets(server.options(), fixture), router);
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
