package dev.vxnet.support;

import dev.vxnet.bus.Counters;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import dev.vxnet.web.ServerContext;
import dev.vxnet.web.WebSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * A route group mounted on a router of its own exactly as the web application mounts it ({@link RouteGroup#mountAll}:
 * its body limit, error format, the request deadline, the application's error answers), for tests of one group.
 */
public final class WebMount {

  private static final Section<WebSettings> WEB = Section.of("https", "web settings of a test server", WebSettings::from,
    WebSettings.KEYS.toArray(Key[]::new));

  private WebMount() {
  }

  /** The web settings of a server: the defaults, with {@code overrides} (keys of docs/config.md's https section). */
  public static WebSettings settings(JsonObject overrides) {
    return WEB.read(overrides);
  }

  public static Router router(Vertx vertx, RouteGroup group, JsonObject overrides) {
    Router router = Router.router(vertx);
    RouteGroup.mountAll(router, List.of(group), Listener.APPLICATION, new ServerContext(vertx, new Counters("https"), settings(overrides)));
    router.route().failureHandler(Responses::failure);
    return router;
  }

  /** {@code options} with what {@code group} asks of the server. */
  public static HttpServerOptions options(HttpServerOptions options, RouteGroup group) {
    return RouteGroup.serverOptions(options, List.of(group), Listener.APPLICATION, settings(new JsonObject()));
  }
}
