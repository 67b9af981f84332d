package dev.vxnet.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One top-level block of configuration (a service such as {@code tcp}, or {@code node}): its keys, and the parser
 * that turns its checked values into its typed settings record {@code S}, where the checks between keys live.
 *
 * @param <S> the settings record
 */
public final class Section<S> {

  private static final Key ENABLED = Key.flag("enabled", true, "Deploy this service.");
  private static final Key INSTANCES = Key.integer("instances", null, 1, 256, "Verticle instances; unset means `node.instances`.");

  private final String name;
  private final String doc;
  private final Map<String, Key> keys = new LinkedHashMap<>();
  /** Builds the record from one object of keys: the section's, or one element's of a list section. */
  private final Function<Values, ?> parser;
  /** A list of objects ({@code verticles: [{...}, ...]}) rather than one object; its record is a {@code List}. */
  private final boolean list;

  private Section(String name, String doc, Function<Values, ?> parser, List<Key> keys, boolean list) {
    this.name = name;
    this.doc = doc;
    this.parser = parser;
    this.list = list;
    keys.forEach(key -> this.keys.put(key.name(), key));
  }

  public static <S> Section<S> of(String name, String doc, Function<Values, S> parser, Key... keys) {
    return new Section<>(name, doc, parser, List.of(keys), false);
  }

  /**
   * A section that is a list of objects, each with {@code keys} and parsed by {@code elementParser} into an {@code E};
   * problems name the element ({@code verticles[2].instances: ...}). Absent, it is the empty list. In the environment
   * and system properties, where values are strings, the whole list is given as JSON text.
   */
  public static <E> Section<List<E>> listOf(String name, String doc, Function<Values, E> elementParser, Key... keys) {
    return new Section<>(name, doc, elementParser, List.of(keys), true);
  }

  /** A network service: {@code enabled}, {@code host}, {@code port}, {@code instances}, then its own keys. */
  public static <S> Section<S> service(String name, int port, String doc, Function<Values, S> parser, Key... own) {
    return service(name, "0.0.0.0", port, doc, parser, own);
  }

  /** {@link #service(String, int, String, Function, Key...)} bound by default to {@code defaultHost}, not every interface. */
  public static <S> Section<S> service(String name, String defaultHost, int port, String doc, Function<Values, S> parser,
                                       Key... own) {
    return service(name, defaultHost, port, true, doc, parser, own);
  }

  /** {@link #service(String, String, int, String, Function, Key...)} that is deployed only when enabled explicitly. */
  public static <S> Section<S> optionalService(String name, String defaultHost, int port, String doc, Function<Values, S> parser,
                                               Key... own) {
    return service(name, defaultHost, port, false, doc, parser, own);
  }

  private static <S> Section<S> service(String name, String defaultHost, int port, boolean enabled, String doc,
                                        Function<Values, S> parser, Key... own) {
    List<Key> all = new ArrayList<>(List.of(
      enabled ? ENABLED : Key.flag(ENABLED.name(), false, "Deploy this service (off unless enabled)."),
      Key.text("host", defaultHost, "[A-Za-z0-9._:-]{1,253}", "Address to bind: an IP address or a host name."),
      Key.port("port", port, 0, "Port to bind (0 picks a free port)."),
      INSTANCES));
    all.addAll(List.of(own));
    return new Section<>(name, doc, parser, all, false);
  }

  /** A service reached only through the event bus: {@code enabled}, {@code instances}, then its own keys. */
  public static <S> Section<S> busService(String name, String doc, Function<Values, S> parser, Key... own) {
    List<Key> all = new ArrayList<>(List.of(ENABLED, INSTANCES));
    all.addAll(List.of(own));
    return new Section<>(name, doc, parser, all, false);
  }

  public String name() {
    return name;
  }

  public String doc() {
    return doc;
  }

  public List<Key> keys() {
    return List.copyOf(keys.values());
  }

  public Key key(String keyName) {
    return keys.get(keyName);
  }

  /** True for a {@link #listOf} section: its value is a list of objects with {@link #keys()}. */
  public boolean isList() {
    return list;
  }

  /**
   * The settings record of {@code given} (this section's keys; {@code null} means none): defaults filled in, every
   * value and every cross-key check done. For a verticle deployed without MainVerticle.
   *
   * @throws ConfigException listing every problem, one line each, naming the full key ({@code tcp.port})
   */
  public S read(JsonObject given) {
    List<String> problems = new ArrayList<>();
    S settings = read(given == null ? new JsonObject() : given, PortOffset.NONE, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }

  /**
   * {@link #read(JsonObject)} collecting problems into {@code problems}; {@code null} when there were any.
   * {@code given} is the section's value as configured: an object of keys, or for a list section a list of them;
   * {@code offset} is added to every {@link Key.Type#PORT} value but 0.
   */
  @SuppressWarnings("unchecked") // a list section's parser builds its elements, an object section's parser its record
  S read(Object given, PortOffset offset, List<String> problems) {
    if (!list) {
      return (S) element(name, given instanceof JsonObject object ? object : new JsonObject(), offset, problems);
    }
    int before = problems.size();
    Object value = given instanceof String text ? parseList(text) : given;
    if (value == null) {
      return (S) List.of();
    }
    if (!(value instanceof JsonArray array)) {
      problems.add(name + ": expected a list of objects, got " + Describe.value(value));
      return null;
    }
    List<Object> elements = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String prefix = name + "[" + i + "]";
      if (array.getValue(i) instanceof JsonObject object) {
        elements.add(element(prefix, object, offset, problems));
      } else {
        problems.add(prefix + ": expected an object of keys (" + String.join(", ", keys.keySet()) + "), got "
          + Describe.value(array.getValue(i)));
      }
    }
    return problems.size() > before ? null : (S) List.copyOf(elements);
  }

  /** One object of keys, checked and parsed; {@code prefix} names it in messages ({@code tcp}, {@code verticles[2]}). */
  private Object element(String prefix, JsonObject given, PortOffset offset, List<String> problems) {
    int before = problems.size();
    JsonObject values = complete(prefix, given, offset, problems);
    if (problems.size() > before) {
      return null; // the parser may rely on every key being valid
    }
    Object settings = parser.apply(new Values(prefix, values, offset.value(), problems));
    return problems.size() > before ? null : settings;
  }

  /** A list given as text (environment, system property): JSON, or the text itself for the message to show. */
  private static Object parseList(String text) {
    try {
      return new JsonArray(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  /** The {@code enabled} and {@code instances} keys of a service section in {@code given}, or {@code null}. */
  Settings.Deployment deployment(JsonObject given) {
    if (list || !keys.containsKey(ENABLED.name())) {
      return null;
    }
    JsonObject values = complete(name, given, PortOffset.NONE, new ArrayList<>());
    return new Settings.Deployment(values.getBoolean(ENABLED.name()), values.getInteger(INSTANCES.name()));
  }

  /** Fills in defaults, checks every value and shifts listening ports, adding one line per problem to {@code problems}. */
  private JsonObject complete(String prefix, JsonObject given, PortOffset offset, List<String> problems) {
    JsonObject result = new JsonObject();
    given.forEach(entry -> {
      if (!keys.containsKey(entry.getKey())) {
        problems.add(prefix + "." + entry.getKey() + ": unknown key (known: " + String.join(", ", keys.keySet()) + ")");
      }
    });
    for (Key key : keys.values()) {
      Object value = given.containsKey(key.name()) ? key.normalise(given.getValue(key.name())) : key.defaultValue();
      Optional<String> problem = key.problem(value);
      if (problem.isPresent()) {
        problems.add(prefix + "." + key.name() + ": " + problem.get());
      } else if (key.type() == Key.Type.PORT && value instanceof Number port && port.longValue() != 0 && offset.value() != 0) {
        long shifted = port.longValue() + offset.value();
        if (shifted > key.max()) {
          problems.add(prefix + "." + key.name() + ": " + port + " + " + offset.key() + " " + offset.value() + " = " + shifted
            + " is beyond " + key.max());
        } else {
          result.put(key.name(), (int) shifted);
        }
      } else {
        result.put(key.name(), value instanceof Long l && l == l.intValue() ? l.intValue() : value);
      }
    }
    return result;
  }

  /**
   * What the schema adds to every listening port ({@link Key.Type#PORT}): the value of its {@link Key.Type#PORT_OFFSET}
   * key, named in full ({@code node.port_offset}) for messages.
   */
  record PortOffset(String key, int value) {
    static final PortOffset NONE = new PortOffset("port offset", 0);
  }
}
