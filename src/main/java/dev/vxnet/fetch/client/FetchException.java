package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorReply;
import io.vertx.core.json.JsonObject;

/** A fetch that failed for a reason worth a stable code; becomes an {@link ErrorReply}. No stack trace: it is an answer. */
final class FetchException extends RuntimeException {

  private final String code;
  private final String rule;

  FetchException(String code, String message) {
    this(code, message, null);
  }

  /** A {@link FetchCodes#DENIED} refusal names the guard rule, also as a field of its own. */
  FetchException(String code, String message, String rule) {
    super(message, null, false, false);
    this.code = code;
    this.rule = rule;
  }

  String code() {
    return code;
  }

  JsonObject toReply() {
    JsonObject reply = ErrorReply.of(code, getMessage());
    if (rule != null) {
      reply.getJsonObject("error").put("rule", rule);
    }
    return reply;
  }
}
