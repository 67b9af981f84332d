package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The named counters of one verticle instance, reported on {@link Addresses#STATS_COLLECT}. */
public final class Counters {

  private static final AtomicInteger INSTANCE_SEQUENCE = new AtomicInteger();

  private final String service;
  private final String instance;
  private final Map<String, LongAdder> values = new LinkedHashMap<>();

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

  public synchronized JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach((name, value) -> json.put(name, value.sum()));
    return json;
  }
}
