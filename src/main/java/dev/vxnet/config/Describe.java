package dev.vxnet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders a configuration or request value for an error message: strings quoted, long values cut. */
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
}
