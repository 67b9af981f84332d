package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

/**
 * The one error shape of every request/reply service: {@code {"error": {"code": "DENIED", "message": "..."}}}.
 * Codes are stable strings (listed in docs/event-bus.md); messages are for people.
 */
public final class ErrorReply {

  public static final String BAD_REQUEST = "BAD_REQUEST";
  public static final String UNAVAILABLE = "UNAVAILABLE";
  public static final String TIMEOUT = "TIMEOUT";
  public static final String INTERNAL = "INTERNAL";

  private ErrorReply() {
  }

  public static JsonObject of(String code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  public static boolean isError(JsonObject reply) {
    return reply != null && reply.getValue("error") instanceof JsonObject;
  }

  public static String code(JsonObject reply) {
    return reply.getJsonObject("error").getString("code");
  }
}
