package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Bounds the time from a request's headers to its answer's headers: a body that arrives too slowly gets 408, a
 * handler that takes too long 503. Either way an HTTP/1.x connection is closed after the answer, since the rest of a half-read body
 * would otherwise have to be read and thrown away first.
 */
public final class RequestDeadline implements Handler<RoutingContext> {

  private final long timeoutMs;

  public RequestDeadline(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long timer = ctx.vertx().setTimer(timeoutMs, id -> expire(ctx));
    ctx.addHeadersEndHandler(v -> ctx.vertx().cancelTimer(timer)); // a streaming answer may then take its time
    ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
    ctx.next();
  }

  private void expire(RoutingContext ctx) {
    if (Responses.gone(ctx)) {
      return;
    }
    boolean bodyComplete = ctx.request().isEnded();
    boolean http1 = ctx.request().version() != HttpVersion.HTTP_2;
    if (http1) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    }
    Responses.error(ctx, bodyComplete ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.REQUEST_TIMEOUT, bodyComplete
        ? "no answer within request_timeout_ms (" + timeoutMs + " ms)"
        : "request body not received within request_timeout_ms (" + timeoutMs + " ms)")
      .onComplete(written -> {
        if (http1) {
          ctx.request().connection().close();
        }
      });
  }
}
