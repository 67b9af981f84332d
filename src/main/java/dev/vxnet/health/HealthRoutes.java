package dev.vxnet.health;

import dev.vxnet.bus.Node;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * {@code /health} (liveness: the server answers) and {@code /ready} (readiness: {@link Readiness}), in
 * vertx-health-check's JSON format ({@code status}, {@code checks}, {@code outcome}); 200 when UP, 503 when DOWN.
 * Served by HTTPS, by plain HTTP also while it redirects, and by the management port.
 */
public final class HealthRoutes {

  /**
   * {@code /health}: 200 while the server runs, naming the node and the server instance. The answer is made once per
   * server instance: liveness must stay as cheap as the smallest route (it is the benchmarks' tiny route).
   */
  public static final RouteGroup HEALTH = RouteGroup.requests("health", List.of("/health"), RouteGroup.SERVER_LIMIT, (router, server) -> {
    String alive = new JsonObject().put("status", "UP")
      .put("checks", new JsonArray().add(new JsonObject().put("id", "server").put("status", "UP")
        .put("data", new JsonObject().put("node", Node.name(server.vertx())).put("instance", server.instance()))))
      .put("outcome", "UP").encode() + "\n";
    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Responses.end(ctx, "application/json", alive);
    });
  }).on(Listener.APPLICATION, Listener.REDIRECTING_HTTP, Listener.MANAGEMENT);

  /** {@code /ready}: every check of {@link Readiness}, each bounded by the server's {@code ready_timeout_ms}. */
  public static final RouteGroup READY = RouteGroup.requests("ready", List.of("/ready"), RouteGroup.SERVER_LIMIT, (router, server) ->
    router.route("/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx ->
      Readiness.check(ctx.vertx(), server.settings().readyTimeoutMs()).onComplete(checked -> {
        if (checked.failed()) {
          ctx.fail(checked.cause());
          return;
        }
        ctx.response().setStatusCode(checked.result().getUp() ? 200 : 503).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Responses.end(ctx, "application/json", checked.result().toJson().encode() + "\n");
      })))
    .on(Listener.APPLICATION, Listener.REDIRECTING_HTTP, Listener.MANAGEMENT)
    .withJsonErrors();

  private HealthRoutes() {
  }
}
