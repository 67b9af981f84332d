package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ErrorReply;
import io.vertx.core.json.JsonObject;

/** A fetch that failed for a reason worth a stable code; becomes an {@link ErrorReply}. No stack trace: it is an answer. */
final class FetchException extends RuntimeException {

  private final ErrorCode code;
  private final String rule;

  FetchException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** A {@link ErrorCode#DENIED} refusal names the guard rule, also as a field of its own. */
  FetchException(ErrorCode code, String message, String rule) {
    super(message, null, false, false);
    this.code = code;
    this.rule = rule;
  }

  ErrorCode code() {
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
