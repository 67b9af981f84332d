package dev.vxnet.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One configuration key: its type, default, allowed range and the sentence that documents it. */
public record Key(String name, Type type, Object defaultValue, long min, long max, List<String> choices, String pattern,
                  String doc) {

  /**
   * {@code PORT}: an integer port this node listens on, to which the schema adds the node's port offset (0, "any free
   * port", stays 0); {@code PORT_OFFSET}: that offset, one key per schema.
   */
  public enum Type { INT, PORT, PORT_OFFSET, BOOL, STRING, LIST, CHOICE, OBJECT, MAP }

  /** An integer key; a {@code null} default means "unset" (documented by the key). */
  public static Key integer(String name, Integer defaultValue, long min, long max, String doc) {
    return new Key(name, Type.INT, defaultValue, min, max, List.of(), null, doc);
  }

  /**
   * A port this node listens on, from {@code min} (0 where 0 means any free port) to 65535; the schema adds
   * {@code node.port_offset} to any value but 0, so that a second node on one machine moves every port with one key.
   */
  public static Key port(String name, Integer defaultValue, int min, String doc) {
    return new Key(name, Type.PORT, defaultValue, min, 65535, List.of(), null,
      doc + " Plus `node.port_offset`" + (min == 0 ? " (0 stays 0)." : "."));
  }

  /** The amount added to every {@link #port} key of the schema, 0 to {@code max}. */
  public static Key portOffset(String name, int max, String doc) {
    return new Key(name, Type.PORT_OFFSET, 0, 0, max, List.of(), null, doc);
  }

  public static Key flag(String name, boolean defaultValue, String doc) {
    return new Key(name, Type.BOOL, defaultValue, 0, 0, List.of(), null, doc);
  }

  public static Key text(String name, String defaultValue, String doc) {
    return new Key(name, Type.STRING, defaultValue, 0, 0, List.of(), null, doc);
  }

  /** A string that must match {@code pattern} in full. */
  public static Key text(String name, String defaultValue, String pattern, String doc) {
    return new Key(name, Type.STRING, defaultValue, 0, 0, List.of(), pattern, doc);
  }

  public static Key list(String name, List<String> defaultValue, String doc) {
    return new Key(name, Type.LIST, defaultValue == null ? null : new JsonArray(defaultValue), 0, 0, List.of(), null, doc);
  }

  /** A JSON object whose keys are someone else's to check (a verticle's own {@code config}); defaults to {@code {}}. */
  public static Key object(String name, String doc) {
    return new Key(name, Type.OBJECT, new JsonObject(), 0, 0, List.of(), null, doc);
  }

  public static Key choice(String name, String defaultValue, String doc, String... choices) {
    return new Key(name, Type.CHOICE, defaultValue, 0, 0, Arrays.asList(choices), null, doc);
  }

  /**
   * An object whose names match {@code namePattern} and whose values are each one of {@code choices} (compared in
   * upper case), such as {@code {"io.netty": "WARN"}}; in the environment {@code io.netty=WARN,com.hazelcast=ERROR}.
   */
  public static Key map(String name, String namePattern, String doc, String... choices) {
    return new Key(name, Type.MAP, new JsonObject(), 0, 0, Arrays.asList(choices), namePattern, doc);
  }

  /** What a value of this key must be, for error messages and docs. */
  public String expected() {
    return switch (type) {
      case INT, PORT, PORT_OFFSET -> "an integer from " + min + " to " + max;
      case BOOL -> "true or false";
      case STRING -> pattern == null ? "a string" : "a string matching " + pattern;
      case LIST -> "a list of strings (comma-separated in the environment)";
      case CHOICE -> "one of " + String.join(", ", choices);
      case MAP -> "an object of names matching " + pattern + " to one of " + String.join(", ", choices)
        + " (name=value,... in the environment)";
      case OBJECT -> "a JSON object";
    };
  }

  /** Why {@code value} is not acceptable, or empty when it is. {@code null} is only fine where the default is. */
  public Optional<String> problem(Object value) {
    if (value == null) {
      return defaultValue == null ? Optional.empty() : Optional.of("expected " + expected() + ", got null");
    }
    if (type == Type.MAP) {
      return mapProblem(value);
    }
    boolean ok = switch (type) {
      case INT, PORT, PORT_OFFSET -> value instanceof Integer || value instanceof Long
        ? ((Number) value).longValue() >= min && ((Number) value).longValue() <= max
        : false;
      case BOOL -> value instanceof Boolean;
      case STRING -> value instanceof String s && (pattern == null || s.matches(pattern));
      case LIST -> value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance);
      case CHOICE -> value instanceof String s && choices.contains(s);
      case MAP -> false;
      case OBJECT -> value instanceof JsonObject;
    };
    return ok ? Optional.empty() : Optional.of("expected " + expected() + ", got " + Describe.value(value));
  }

  /** The first entry of a {@link Type#MAP} value that does not fit, named; empty when all do. */
  private Optional<String> mapProblem(Object value) {
    if (!(value instanceof JsonObject object)) {
      return Optional.of("expected " + expected() + ", got " + Describe.value(value));
    }
    for (String entry : object.fieldNames()) {
      Object level = object.getValue(entry);
      if (!entry.matches(pattern)) {
        return Optional.of(Describe.value(entry) + ": expected a name matching " + pattern);
      }
      if (!(level instanceof String s && choices.contains(s.toUpperCase(java.util.Locale.ROOT)))) {
        return Optional.of(Describe.value(entry) + ": expected one of " + String.join(", ", choices) + ", got " + Describe.value(level));
      }
    }
    return Optional.empty();
  }

  /**
   * Strings are accepted for every type, as the environment and system properties can only give strings:
   * {@code "8080"} becomes 8080, {@code "a,b"} a list. Anything else is returned as it is.
   */
  public Object normalise(Object value) {
    return value instanceof String raw ? parse(raw) : value;
  }

  /** A string that does not parse is returned unchanged so that validation reports it with the key's name. */
  private Object parse(String raw) {
    String s = raw.trim();
    return switch (type) {
      case INT, PORT, PORT_OFFSET -> {
        try {
          yield Long.parseLong(s);
        } catch (NumberFormatException e) {
          yield raw;
        }
      }
      case BOOL -> s.equalsIgnoreCase("true") ? Boolean.TRUE : s.equalsIgnoreCase("false") ? Boolean.FALSE : raw;
      case LIST -> {
        JsonArray items = new JsonArray();
        Arrays.stream(s.split(",")).map(String::trim).filter(item -> !item.isEmpty()).forEach(items::add);
        yield items;
      }
      case MAP -> {
        JsonObject entries = new JsonObject();
        for (String item : s.split(",")) {
          int equals = item.indexOf('=');
          if (item.isBlank()) {
            continue;
          }
          if (equals < 0) {
            yield raw; // reported with the key's name
          }
          entries.put(item.substring(0, equals).trim(), item.substring(equals + 1).trim());
        }
        yield entries;
      }
      case OBJECT -> {
        try {
          yield new JsonObject(s);
        } catch (DecodeException e) {
          yield raw;
        }
      }
      case STRING, CHOICE -> s;
    };
  }
}
