package dev.vxnet.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every section vxnet knows; validates a whole merged configuration. */
public final class Schema {

  private final Map<String, Section> sections = new LinkedHashMap<>();

  public Schema(List<Section> sections) {
    sections.forEach(section -> this.sections.put(section.name(), section));
  }

  public List<Section> sections() {
    return List.copyOf(sections.values());
  }

  public Optional<Key> key(String section, String key) {
    return Optional.ofNullable(sections.get(section)).map(s -> s.key(key));
  }

  /** Returns the configuration with every default filled in, or throws listing every problem. */
  public JsonObject validate(JsonObject merged) {
    List<String> problems = new ArrayList<>();
    merged.forEach(entry -> {
      if (!sections.containsKey(entry.getKey())) {
        problems.add(entry.getKey() + ": unknown section (known: " + String.join(", ", sections.keySet()) + ")");
      } else if (!(entry.getValue() instanceof JsonObject)) {
        problems.add(entry.getKey() + ": expected an object of keys, got " + Describe.value(entry.getValue()));
      }
    });
    JsonObject result = new JsonObject();
    for (Section section : sections.values()) {
      Object given = merged.getValue(section.name());
      JsonObject values = given instanceof JsonObject object ? object : new JsonObject();
      result.put(section.name(), section.complete(values, problems));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return result;
  }
}
