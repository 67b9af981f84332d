package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The named counters of one verticle instance, reported on {@link Addresses#STATS_COLLECT}; with its latency windows
 * ({@link LatencyWindow}) and details (such as a chat instance's rooms), when it has any.
 */
public final class Counters {

  private static final AtomicInteger INSTANCE_SEQUENCE = new AtomicInteger();

  private final String service;
  private final String instance;
  private final Map<String, LongAdder> values = new LinkedHashMap<>();
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
    return values.computeIfAbsent(name, n -> new LongAdder());
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
    JsonObject json = new JsonObject();
    values.forEach((name, value) -> json.put(name, value.sum()));
    return json;
  }
}
