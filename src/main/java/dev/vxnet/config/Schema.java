package dev.vxnet.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Every section vxnet knows, and the checks between sections; turns a whole merged configuration into
 * {@link Settings}, reporting every problem of every section at once.
 */
public final class Schema {

  private final Map<String, Section<?>> sections = new LinkedHashMap<>();
  private final List<UnaryOperator<Settings>> crossSectionChecks;

  /**
   * @param crossSectionChecks run in order once every section is valid; each returns the settings (possibly with a
   *                           record completed from another section) or throws {@link ConfigException}
   */
  public Schema(List<Section<?>> sections, List<UnaryOperator<Settings>> crossSectionChecks) {
    sections.forEach(section -> this.sections.put(section.name(), section));
    this.crossSectionChecks = List.copyOf(crossSectionChecks);
  }

  public List<Section<?>> sections() {
    return List.copyOf(sections.values());
  }

  public Optional<Key> key(String section, String key) {
    return Optional.ofNullable(sections.get(section)).map(s -> s.key(key));
  }

  /** The settings of every section (defaults filled in), or a {@link ConfigException} listing every problem. */
  public Settings validate(JsonObject merged) {
    List<String> problems = new ArrayList<>();
    merged.forEach(entry -> {
      if (!sections.containsKey(entry.getKey())) {
        problems.add(entry.getKey() + ": unknown section (known: " + String.join(", ", sections.keySet()) + ")");
      } else if (!sections.get(entry.getKey()).isList() && !(entry.getValue() instanceof JsonObject)) {
        problems.add(entry.getKey() + ": expected an object of keys, got " + Describe.value(entry.getValue()));
      }
    });
    Map<String, Object> records = new HashMap<>();
    Map<String, Settings.Deployment> deployments = new HashMap<>();
    Section.PortOffset offset = portOffset(merged);
    for (Section<?> section : sections.values()) {
      Object given = merged.getValue(section.name());
      Object record = section.read(given, offset, problems); // a list section checks its own shape
      if (record != null) {
        records.put(section.name(), record);
        Settings.Deployment deployment = section.deployment(given instanceof JsonObject object ? object : new JsonObject());
        if (deployment != null) {
          deployments.put(section.name(), deployment);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Settings settings = new Settings(records, deployments);
    for (UnaryOperator<Settings> check : crossSectionChecks) {
      settings = check.apply(settings);
    }
    return settings;
  }

  /**
   * The value of the schema's {@link Key.Type#PORT_OFFSET} key in {@code merged}, or none; a value that is not valid
   * counts as 0 here, and its section reports it.
   */
  private Section.PortOffset portOffset(JsonObject merged) {
    for (Section<?> section : sections.values()) {
      for (Key key : section.keys()) {
        if (key.type() == Key.Type.PORT_OFFSET) {
          Object given = merged.getValue(section.name()) instanceof JsonObject object && object.containsKey(key.name())
            ? key.normalise(object.getValue(key.name())) : key.defaultValue();
          int value = key.problem(given).isEmpty() ? ((Number) given).intValue() : 0;
          return new Section.PortOffset(section.name() + "." + key.name(), value);
        }
      }
    }
    return Section.PortOffset.NONE;
  }
}
