package dev.vxnet.https;

import dev.vxnet.web.FormEscapes;
import dev.vxnet.web.NoMatchingRoute;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.ServerContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;

/**
 * The application served over HTTPS (and over plain HTTP when redirection is off): one router, assembled here in
 * the order requests meet it.
 */
final class WebApp {

  private WebApp() {
  }

  /**
   * Adds the application to {@code router} (from {@link WebServer#router()}, which counts each request): the route
   * groups ({@link RouteGroup#mountAll}: transports, the request deadline, request/response groups), then the
   * application's own body limit for what no group claimed, {@code /about} and the static files, 404/405, and the
   * error answer of every failure.
   */
  static Router mount(Router router, List<RouteGroup> groups, ServerContext context, WebRoot webRoot) {
    StaticFiles files = new StaticFiles(webRoot.path());
    RouteGroup.mountAll(router, groups, RouteGroup.Listener.APPLICATION, context);
    router.route().handler(BodyHandler.create(false).setBodyLimit(context.settings().maxBodyBytes()))
      .handler(FormEscapes::check);
    router.route("/about").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> files.serve(ctx, "/about.html"));
    router.route().handler(files); // "/" is the web root's index.html
    router.route().handler(new NoMatchingRoute(router)); // 405 or 404
    router.route().failureHandler(Responses::failure);
    return router;
  }
}
