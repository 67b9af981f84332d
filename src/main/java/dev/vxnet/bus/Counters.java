package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The named counters of one verticle instance, reported on {@link Addresses#STATS_COLLECT}: counters that only grow,
 * gauges read when reported (a cache's size), and both per member of a group (per upstream of the DNS resolver,
 * reported as {@code {"group": {"member": {"name": n}}}} and summed member by member); with its latency windows
 * ({@link LatencyWindow}) and details (such as a chat instance's rooms), when it has any.
 */
public final class Counters {

  private static final AtomicInteger INSTANCE_SEQUENCE = new AtomicInteger();

  private final String service;
  private final String instance;
  /** Each value a {@link LongAdder} (a counter) or a {@link LongSupplier} (a gauge). */
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, Map<String, Map<String, Object>>> groups = new LinkedHashMap<>();
  private final Map<String, LatencyWindow> latencies = new LinkedHashMap<>();
  private final Map<String, Supplier<Object>> details = new LinkedHashMap<>();

  public Counters(String service) {
    this.service = service;
    this.instance = service + "#" + INSTANCE_SEQUENCE.incrementAndGet();
  }

  public String service() {
    return service;
  }

  /** Unique within the JVM, e.g. {@code tcp#3}. */
  public String instance() {
    return instance;
  }

  /** Declares a counter; call at start so that it is reported even while still 0. */
  public synchronized LongAdder counter(String name) {
    return (LongAdder) values.computeIfAbsent(name, n -> new LongAdder());
  }

  /** Declares a gauge: {@code value} is read each time the counters are reported. */
  public synchronized void gauge(String name, LongSupplier value) {
    values.put(name, value);
  }

  /** A counter of one member of a group, e.g. {@code counter("upstreams", "127.0.0.1:53", "queries")}. */
  public synchronized LongAdder counter(String group, String member, String name) {
    return (LongAdder) members(group, member).computeIfAbsent(name, n -> new LongAdder());
  }

  /** A gauge of one member of a group, e.g. whether an upstream is down (1) or not (0). */
  public synchronized void gauge(String group, String member, String name, LongSupplier value) {
    members(group, member).put(name, value);
  }

  /**
   * Declares a latency window, e.g. {@code request}; reported under {@code latency} ({@link #latencyJson}). Record and
   * read it only on the instance's event loop ({@link LatencyWindow} says why).
   */
  public synchronized LatencyWindow latency(String name) {
    return latencies.computeIfAbsent(name, n -> new LatencyWindow());
  }

  /**
   * Declares a detail read when reported, under {@code details}: a JSON value ({@code JsonObject}, {@code JsonArray},
   * number, string) that is not a counter, such as the rooms of a chat instance. Read on the instance's event loop.
   */
  public synchronized void detail(String name, Supplier<Object> value) {
    details.put(name, value);
  }

  /** {@code {"request": {"count": .., "p50_ms": .., "p99_ms": .., "max_ms": ..}}}; empty without windows. */
  public synchronized JsonObject latencyJson() {
    JsonObject json = new JsonObject();
    latencies.forEach((name, window) -> json.put(name, window.toJson()));
    return json;
  }

  /** The details as they are now; empty without any. */
  public synchronized JsonObject detailsJson() {
    JsonObject json = new JsonObject();
    details.forEach((name, value) -> json.put(name, value.get()));
    return json;
  }

  public synchronized JsonObject toJson() {
    JsonObject json = toJson(values);
    groups.forEach((group, members) -> {
      JsonObject groupJson = new JsonObject();
      members.forEach((member, counters) -> groupJson.put(member, toJson(counters)));
      json.put(group, groupJson);
    });
    return json;
  }

  private Map<String, Object> members(String group, String member) {
    return groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(member, m -> new LinkedHashMap<>());
  }

  private static JsonObject toJson(Map<String, Object> counters) {
    JsonObject json = new JsonObject();
    counters.forEach((name, value) -> json.put(name, value instanceof LongAdder adder ? adder.sum() : ((LongSupplier) value).getAsLong()));
    return json;
  }
}
