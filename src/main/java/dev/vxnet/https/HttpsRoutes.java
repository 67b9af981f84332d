package dev.vxnet.https;

import dev.vxnet.web.Responses;
import dev.vxnet.bus.Node;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** The web servers' own route groups: {@code /health}, {@code /api/echo}, {@code /api/stats}. */
public final class HttpsRoutes {

  /** {@code /health}: 200 while the server runs, with who answered; also on plain HTTP while it redirects. */
  public static final RouteGroup HEALTH = RouteGroup.requests("health", List.of("/health"), RouteGroup.SERVER_LIMIT,
    (router, server) -> router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Responses.end(ctx, "application/json",
        new JsonObject().put("status", "UP").put("node", Node.name(ctx.vertx())).put("instance", server.instance()).encode() + "\n");
    })).on(Listener.APPLICATION, Listener.REDIRECTING_HTTP);

  /** Any method on {@code /api/echo} and below: the request described as JSON ({@link EchoHandler}). */
  public static final RouteGroup ECHO = RouteGroup.requests("echo", List.of("/api/echo/*"), RouteGroup.SERVER_LIMIT,
    (router, server) -> router.route("/api/echo/*")
      .handler(new EchoHandler(server.settings().echoMaxDelayMs(), server.instance())));

  /** {@code GET /api/stats}: every service's counters on every node ({@link StatsHandler}). */
  public static final RouteGroup STATS = RouteGroup.requests("stats", List.of("/api/stats"), RouteGroup.SERVER_LIMIT,
    (router, server) -> router.route("/api/stats").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(new StatsHandler(server.settings().statsTimeoutMs())));

  /** What a web server serves when deployed on its own, without the other services' groups of {@code Services.ROUTES}. */
  public static final List<RouteGroup> OWN = List.of(HEALTH, ECHO, STATS);

  private HttpsRoutes() {
  }
}
