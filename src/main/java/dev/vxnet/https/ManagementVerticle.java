package dev.vxnet.https;

import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.web.NoMatchingRoute;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import dev.vxnet.web.ServerContext;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

import java.util.List;

/** The management port: plain HTTP serving the route groups for {@link Listener#MANAGEMENT} and nothing else. */
public final class ManagementVerticle extends ConfiguredVerticle<ManagementSettings> {

  private final List<RouteGroup> groups;
  private WebServer server;

  /** Deployed on its own (by class name): its {@code management} section is the deployment config. */
  public ManagementVerticle() {
    this(null, HttpsRoutes.OWN);
  }

  /** Serving {@code groups} (MainVerticle passes {@code Services.ROUTES}). */
  public ManagementVerticle(ManagementSettings settings, List<RouteGroup> groups) {
    super(ManagementSettings.SECTION, settings);
    this.groups = List.copyOf(groups);
  }

  @Override
  public Future<?> start() {
    ManagementSettings settings = settings();
    server = new WebServer(vertx, "management", settings.host(), settings.port(), settings.web(), false);
    Router router = server.router();
    RouteGroup.mountAll(router, groups, Listener.MANAGEMENT, new ServerContext(vertx, server.counters(), settings.web()));
    router.route().handler(new NoMatchingRoute(router));
    router.route().failureHandler(Responses::failure);
    return server.listen(RouteGroup.serverOptions(server.options(), groups, Listener.MANAGEMENT, settings.web()), router, null);
  }

  /** Drains the server ({@link WebServer#drain}), like the application's servers. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.drain();
  }
}
