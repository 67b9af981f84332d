package dev.vxnet.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One top-level block of configuration (a service such as {@code tcp}, or {@code node}) and its keys. */
public final class Section {

  private static final Key ENABLED = Key.flag("enabled", true, "Deploy this service.");
  private static final Key INSTANCES = Key.integer("instances", null, 1, 256, "Verticle instances; unset means `node.instances`.");

  private final String name;
  private final String doc;
  private final Map<String, Key> keys = new LinkedHashMap<>();

  private Section(String name, String doc, List<Key> keys) {
    this.name = name;
    this.doc = doc;
    keys.forEach(key -> this.keys.put(key.name(), key));
  }

  public static Section of(String name, String doc, Key... keys) {
    return new Section(name, doc, List.of(keys));
  }

  /** A network service: {@code enabled}, {@code host}, {@code port}, {@code instances}, then its own keys. */
  public static Section service(String name, int port, String doc, Key... own) {
    return service(name, "0.0.0.0", port, doc, own);
  }

  /** {@link #service(String, int, String, Key...)} bound by default to {@code defaultHost} rather than every interface. */
  public static Section service(String name, String defaultHost, int port, String doc, Key... own) {
    List<Key> all = new ArrayList<>(List.of(
      ENABLED,
      Key.text("host", defaultHost, "[A-Za-z0-9._:-]{1,253}", "Address to bind: an IP address or a host name."),
      Key.integer("port", port, 0, 65535, "Port to bind (0 picks a free port)."),
      INSTANCES));
    all.addAll(List.of(own));
    return new Section(name, doc, all);
  }

  /** A service reached only through the event bus: {@code enabled}, {@code instances}, then its own keys. */
  public static Section busService(String name, String doc, Key... own) {
    List<Key> all = new ArrayList<>(List.of(ENABLED, INSTANCES));
    all.addAll(List.of(own));
    return new Section(name, doc, all);
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

  /**
   * Fills in defaults and checks every value. Problems are collected into {@code problems}, one line each,
   * naming the full key ({@code tcp.port}).
   */
  public JsonObject complete(JsonObject given, List<String> problems) {
    JsonObject result = new JsonObject();
    given.forEach(entry -> {
      if (!keys.containsKey(entry.getKey())) {
        problems.add(name + "." + entry.getKey() + ": unknown key (known: " + String.join(", ", keys.keySet()) + ")");
      }
    });
    for (Key key : keys.values()) {
      Object value = given.containsKey(key.name()) ? key.normalise(given.getValue(key.name())) : key.defaultValue();
      key.problem(value).ifPresentOrElse(
        problem -> problems.add(name + "." + key.name() + ": " + problem),
        () -> result.put(key.name(), value instanceof Long l && l == l.intValue() ? l.intValue() : value));
    }
    return result;
  }

  /** {@link #complete(JsonObject, List)} for one section alone (a verticle deployed without MainVerticle). */
  public JsonObject complete(JsonObject given) {
    List<String> problems = new ArrayList<>();
    JsonObject result = complete(given == null ? new JsonObject() : given, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return result;
  }
}
