package dev.vxnet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders a configuration value for an error message: strings quoted, long values cut. */
final class Describe {

  private static final int MAX = 60;

  private Describe() {
  }

  static String value(Object value) {
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
