package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The named counters of one verticle instance, reported on {@link Addresses#STATS_COLLECT} (/api/stats): counters
 * that only grow, gauges read when reported (a cache's size), and both per member of a group (per upstream of the DNS
 * resolver, reported as {@code {"group": {"member": {"name": n}}}} and summed member by member); with its latency
 * windows ({@link LatencyWindow}) and details (such as a chat instance's rooms), when it has any. Through
 * {@link CounterMeters} they are also Prometheus meters: the hot path only adds to a {@link LongAdder}; meters read it
 * when scraped. Which counter becomes which metric is {@link CounterMeters}' table.
 */
public final class Counters {

  private static final AtomicInteger INSTANCE_SEQUENCE = new AtomicInteger();

  private final String service;
  private final String instance;
  private final Map<String, LongSupplier> values = new LinkedHashMap<>();
  private final Map<String, Map<String, Map<String, LongSupplier>>> groups = new LinkedHashMap<>();
  private final Map<String, LatencyWindow> latencies = new LinkedHashMap<>();
  private final Map<String, Supplier<Object>> details = new LinkedHashMap<>();
  private final List<Histogram> histograms = new ArrayList<>();
  /** Told of each counter and histogram declared from now on (meters are bound); {@code null} while none are. */
  private Declared declared;

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

  /** Declares a counter (or a level that goes up and down, as the table says); call at start so that it is reported while 0. */
  public synchronized LongAdder counter(String name) {
    return adder(values, null, null, name);
  }

  /** Declares a gauge: {@code value} is read each time the counters are reported, such as the entries of a cache. */
  public synchronized void gauge(String name, LongSupplier value) {
    declare(values, null, null, name, value);
  }

  /** A counter of one member of a group, e.g. {@code counter("upstreams", "127.0.0.1:53", "queries")}. */
  public synchronized LongAdder counter(String group, String member, String name) {
    return adder(members(group, member), group, member, name);
  }

  /** A gauge of one member of a group, e.g. whether an upstream is down (1) or not (0). */
  public synchronized void gauge(String group, String member, String name, LongSupplier value) {
    declare(members(group, member), group, member, name, value);
  }

  /**
   * Declares a latency histogram with one tag (e.g. the upstream it was measured against): a Prometheus
   * {@code _seconds} histogram when metrics are on ({@link CounterMeters}), nothing in /api/stats.
   */
  public synchronized Histogram histogram(String name, String tag, String tagValue) {
    Histogram histogram = new Histogram(name, tag, tagValue);
    histograms.add(histogram);
    if (declared != null) {
      declared.histogram(histogram);
    }
    return histogram;
  }

  private LongAdder adder(Map<String, LongSupplier> into, String group, String member, String name) {
    if (into.get(name) instanceof AdderValue existing) {
      return existing.adder;
    }
    AdderValue created = new AdderValue(new LongAdder());
    declare(into, group, member, name, created);
    return created.adder;
  }

  private void declare(Map<String, LongSupplier> into, String group, String member, String name, LongSupplier value) {
    into.put(name, value);
    if (declared != null) {
      declared.value(group, member, name, value);
    }
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

  private Map<String, LongSupplier> members(String group, String member) {
    return groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(member, m -> new LinkedHashMap<>());
  }

  private static JsonObject toJson(Map<String, LongSupplier> counters) {
    JsonObject json = new JsonObject();
    counters.forEach((name, value) -> json.put(name, value.getAsLong()));
    return json;
  }

  /**
   * Sets (or with {@code null} clears) who is told of declarations: first of every one so far, then of each later one.
   */
  synchronized void onDeclare(Declared listener) {
    this.declared = listener;
    if (listener != null) {
      values.forEach((name, value) -> listener.value(null, null, name, value));
      groups.forEach((group, members) -> members.forEach((member, counters) ->
        counters.forEach((name, value) -> listener.value(group, member, name, value))));
      histograms.forEach(listener::histogram);
    }
  }

  /** Told of a counter, gauge or histogram when it is declared. */
  interface Declared {

    /** A counter or gauge; {@code group} and {@code member} are {@code null} but for a member of a group. */
    void value(String group, String member, String name, LongSupplier value);

    void histogram(Histogram histogram);
  }

  private record AdderValue(LongAdder adder) implements LongSupplier {
    @Override
    public long getAsLong() {
      return adder.sum();
    }
  }

  /** Durations of one kind against one target; {@link #record} costs nothing while metrics are off. */
  public static final class Histogram {

    final String name;
    final String tag;
    final String tagValue;
    private volatile io.micrometer.core.instrument.Timer timer;

    private Histogram(String name, String tag, String tagValue) {
      this.name = name;
      this.tag = tag;
      this.tagValue = tagValue;
    }

    /** Records a duration of {@code nanos} nanoseconds. */
    public void record(long nanos) {
      io.micrometer.core.instrument.Timer bound = timer;
      if (bound != null) {
        bound.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
    }

    void bind(io.micrometer.core.instrument.Timer timer) {
      this.timer = timer;
    }
  }
}
