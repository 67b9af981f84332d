package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.config.Describe;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Typed access to the fields of a request object, each problem a {@code BAD_REQUEST} naming the field with its
 * path ({@code requests[3].timeout_ms}) and what was expected.
 */
final class JsonFields {

  private final JsonObject json;
  private final String prefix;

  JsonFields(JsonObject json, String prefix) {
    this.json = json;
    this.prefix = prefix;
  }

  /** Refuses fields nobody reads: a typo ({@code timout_ms}) must not silently fall back to a default. */
  void refuseUnknown(List<String> known) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        throw bad(name, "unknown field (known: " + String.join(", ", known) + ")");
      }
    }
  }

  boolean has(String name) {
    return json.getValue(name) != null;
  }

  Object raw(String name) {
    return json.getValue(name);
  }

  String text(String name, String fallback) {
    return typed(name, fallback, String.class, "a string");
  }

  String requiredText(String name) {
    String value = text(name, null);
    if (value == null || value.isEmpty()) {
      throw bad(name, "required (a non-empty string)");
    }
    return value;
  }

  long integer(String name, long fallback, long min, long max) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
      || ((Number) value).longValue() > max) {
      throw bad(name, "expected an integer from " + min + " to " + max + ", got " + Describe.value(value));
    }
    return ((Number) value).longValue();
  }

  boolean flag(String name, boolean fallback) {
    return typed(name, fallback, Boolean.class, "true or false");
  }

  private <T> T typed(String name, T fallback, Class<T> type, String expected) {
    Object value = json.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!type.isInstance(value)) {
      throw bad(name, "expected " + expected + ", got " + Describe.value(value));
    }
    return type.cast(value);
  }

  FetchException bad(String name, String problem) {
    return new FetchException(ErrorCode.BAD_REQUEST, prefix + name + ": " + problem);
  }
}
