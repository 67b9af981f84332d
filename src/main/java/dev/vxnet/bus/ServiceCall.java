package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A request to a service on the event bus with an explicit, short send timeout (the default 30 s would
 * hide a dead node), always answered with JSON: the service's reply, or an {@link ErrorReply} that says
 * no service was there ({@code UNAVAILABLE}) or none answered in time ({@code TIMEOUT}).
 */
public final class ServiceCall {

  private ServiceCall() {
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
      .map(message -> message.body() == null ? ErrorReply.of(ErrorCode.INTERNAL, address + " replied with no body") : message.body())
      .recover(failure -> Future.succeededFuture(describe(address, timeoutMs, failure)));
  }

  /** The {@link ErrorReply} for a failed request: UNAVAILABLE, TIMEOUT or INTERNAL. */
  public static JsonObject describe(String address, long timeoutMs, Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> ErrorReply.of(ErrorCode.UNAVAILABLE, "no service is registered at " + address + " on any node");
        case TIMEOUT -> ErrorReply.of(ErrorCode.TIMEOUT, "no reply from " + address + " within " + timeoutMs + " ms");
        default -> ErrorReply.of(ErrorCode.INTERNAL, address + " failed: " + reply.getMessage());
      };
    }
    return ErrorReply.of(ErrorCode.INTERNAL, address + " failed: " + failure.getMessage());
  }
}
