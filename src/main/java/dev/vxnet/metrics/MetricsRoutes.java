package dev.vxnet.metrics;

import dev.vxnet.bus.CounterMeters;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.RouteGroup.Listener;
import dev.vxnet.web.WebSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;

import java.util.List;
import java.util.Optional;

/**
 * {@code GET /metrics}: every meter in Prometheus text format 0.0.4, rendered off the event loop. Served by HTTPS and
 * plain HTTP, or only by the loopback management port when that is enabled; 404 naming {@code metrics.enabled} when
 * the node runs without metrics.
 */
public final class MetricsRoutes {

  /** The content type of Prometheus' text exposition format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  public static final RouteGroup ROUTES = RouteGroup.requests("metrics", List.of("/metrics"), RouteGroup.SERVER_LIMIT,
      (router, server) -> router.route("/metrics").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
        Optional<MeterRegistry> registry = CounterMeters.registry(ctx.vertx());
        if (registry.isEmpty() || !(registry.get() instanceof PrometheusMeterRegistry prometheus)) {
          Responses.error(ctx, ErrorCode.NOT_FOUND, "metrics are off on this node (metrics.enabled is false)");
          return;
        }
        ctx.vertx().executeBlocking(prometheus::scrape, false).onComplete(scraped -> {
          if (scraped.failed()) {
            ctx.fail(scraped.cause());
            return;
          }
          ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
          Responses.end(ctx, CONTENT_TYPE, scraped.result());
        });
      }))
    .on(Listener.APPLICATION, Listener.REDIRECTING_HTTP, Listener.MANAGEMENT)
    .withJsonErrors()
    .enabledWhen(WebSettings::metrics);

  private MetricsRoutes() {
  }
}
