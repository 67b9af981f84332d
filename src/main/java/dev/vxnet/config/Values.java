package dev.vxnet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The checked values of one section, as a settings record's parser reads them: every key is present with its type
 * (or {@code null} where its default is unset), so the getters only convert. Cross-key problems go to
 * {@link #problem}, which names the key in full ({@code fetch.timeout_ms: ...}); the section then fails with every
 * problem at once.
 */
public final class Values {

  private final String section;
  private final JsonObject values;
  private final int portOffset;
  private final List<String> problems;

  Values(String section, JsonObject values, int portOffset, List<String> problems) {
    this.section = section;
    this.values = values;
    this.portOffset = portOffset;
    this.problems = problems;
  }

  /** What was added to this section's listening ports ({@link Key#port}), already in their values: the node's port offset. */
  public int portOffset() {
    return portOffset;
  }

  /** The section's name, e.g. {@code https} (an element of a list section: {@code verticles[2]}), as messages name it. */
  public String section() {
    return section;
  }

  /** {@code section.key}, as messages name a key. */
  public String name(String key) {
    return section + "." + key;
  }

  public int integer(String key) {
    return values.getInteger(key);
  }

  /** An integer key whose default is unset: {@code null} when not given. */
  public Integer optionalInteger(String key) {
    return values.getInteger(key);
  }

  public boolean flag(String key) {
    return values.getBoolean(key);
  }

  /** A string key; {@code null} when its default is unset and it was not given. */
  public String text(String key) {
    return values.getString(key);
  }

  /** A list key; {@code null} when its default is unset and it was not given. */
  public List<String> list(String key) {
    JsonArray array = values.getJsonArray(key);
    return array == null ? null : array.stream().map(String.class::cast).toList();
  }

  /** A {@link Key.Type#MAP} key: its entries in their order, values in upper case; empty when not given. */
  public java.util.Map<String, String> map(String key) {
    java.util.Map<String, String> entries = new java.util.LinkedHashMap<>();
    values.getJsonObject(key).forEach(entry -> entries.put(entry.getKey(),
      String.valueOf(entry.getValue()).toUpperCase(java.util.Locale.ROOT)));
    return entries;
  }

  /** An object key (never {@code null}: its default is {@code {}}). */
  public JsonObject object(String key) {
    return values.getJsonObject(key);
  }

  /** Records that {@code key}'s value does not fit the others; {@code message} says how. */
  public void problem(String key, String message) {
    problems.add(name(key) + ": " + message);
  }

  /** Records the problems of a check that reports its own (already naming the key). */
  public void problems(List<String> more) {
    problems.addAll(more);
  }
}
