package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

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

  /**
   * Arms the deadline on the event loop's own scheduler rather than as a Vert.x timer: a Vert.x timer also takes an id
   * from a counter and a slot in a map that every event loop of the node shares, once to set and once to cancel, for
   * every request (with the connection's header timer, 7 % of the event loop on a tiny route: docs/profiles.md). The
   * expiry itself runs on the request's context, as a Vert.x timer would.
   */
  @Override
  public void handle(RoutingContext ctx) {
    ContextInternal context = (ContextInternal) ctx.vertx().getOrCreateContext();
    ScheduledFuture<?> deadline = context.nettyEventLoop().schedule(() -> context.runOnContext(v -> expire(ctx)),
      timeoutMs, TimeUnit.MILLISECONDS);
    ctx.addHeadersEndHandler(v -> deadline.cancel(false)); // a streaming answer may then take its time
    ctx.addEndHandler(v -> deadline.cancel(false));
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
