package dev.vxnet.https;

import dev.vxnet.health.HealthRoutes;
import dev.vxnet.metrics.MetricsRoutes;
import dev.vxnet.web.RouteGroup;
import io.vertx.core.http.HttpMethod;

import java.util.List;

/** The web servers' own route groups: {@code /api/echo}, {@code /api/stats}. */
public final class HttpsRoutes {

  /** Any method on {@code /api/echo} and below: the request described as JSON ({@link EchoHandler}). */
  public static final RouteGroup ECHO = RouteGroup.requests("echo", List.of("/api/echo/*"), RouteGroup.SERVER_LIMIT,
    (router, server) -> router.route("/api/echo/*")
      .handler(new EchoHandler(server.settings().echoMaxDelayMs(), server.instance())));

  /** {@code GET /api/stats}: every service's counters on every node ({@link StatsHandler}). */
  public static final RouteGroup STATS = RouteGroup.requests("stats", List.of("/api/stats"), RouteGroup.SERVER_LIMIT,
    (router, server) -> router.route("/api/stats").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(new StatsHandler(server.settings().statsTimeoutMs())));

  /**
   * What a web server serves when deployed on its own, without the other services' groups of {@code Services.ROUTES}:
   * health, readiness and metrics, echo and stats.
   */
  public static final List<RouteGroup> OWN = List.of(HealthRoutes.HEALTH, HealthRoutes.READY, MetricsRoutes.ROUTES, ECHO, STATS);

  private HttpsRoutes() {
  }
}
