package dev.vxnet.https;

import dev.vxnet.web.Responses;
import dev.vxnet.bus.StatsCollector;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/stats}: the counters of every service instance on every node, gathered over the event bus. A service
 * or node that does not answer within {@code stats_timeout_ms} is named in {@code problems} and its status is
 * {@code timeout}; the answer is still 200, as the document itself is complete about what it knows.
 */
final class StatsHandler implements Handler<RoutingContext> {

  private final long timeoutMs;

  StatsHandler(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    StatsCollector.collect(ctx.vertx(), timeoutMs).onComplete(result -> {
      if (Responses.gone(ctx)) {
        return;
      }
      if (result.failed()) {
        ctx.fail(result.cause());
        return;
      }
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Responses.end(ctx, "application/json", Responses.prettyJson(result.result()));
    });
  }
}
