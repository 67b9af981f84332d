package dev.vxnet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders a value or a failure for an error message: strings quoted, long values cut; a failure by its message. */
public final class Describe {

  private static final int MAX = 60;

  private Describe() {
  }

  public static String value(Object value) {
    String text;
    if (value instanceof String s) {
      text = "\"" + s + "\"";
    } else if (value instanceof JsonObject || value instanceof JsonArray) {
      text = value.toString();
    } else {
      text = String.valueOf(value);
    }
    return text.length() > MAX ? text.substring(0, MAX) + "..." : text;
  }

  /**
   * What went wrong, for a message: the first message in the cause chain (the outermost that has one), else the
   * failure's simple class name.
   */
  public static String failure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause.getMessage() != null) {
        return cause.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }
}
