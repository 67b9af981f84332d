package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

/**
 * The one error shape of every request/reply service: {@code {"error": {"code": "DENIED", "message": "..."}}}.
 * Codes are the stable names of {@link ErrorCode} (listed in docs/event-bus.md); messages are for people.
 */
public final class ErrorReply {

  private ErrorReply() {
  }

  public static JsonObject of(ErrorCode code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code.name()).put("message", message));
  }

  public static boolean isError(JsonObject reply) {
    return reply != null && reply.getValue("error") instanceof JsonObject;
  }

  /** The code of an error reply as on the wire (possibly one this version does not know: see {@link ErrorCode#of}). */
  public static String code(JsonObject reply) {
    return reply.getJsonObject("error").getString("code");
  }

  public static String message(JsonObject reply) {
    return reply.getJsonObject("error").getString("message");
  }
}
