package dev.vxnet.dns.resolver;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import org.xbill.DNS.Name;

import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Answers by question, shared by the instances of one deployment (the event bus spreads requests over them), at
 * most {@code maxEntries}, the least recently used evicted first. An answer is served with its TTLs lowered by
 * the whole seconds it has been cached, until its lifetime is over. Time is passed in, so tests set it.
 */
final class DnsCache implements Shareable {

  record Key(Name name, int type) {
  }

  private record Entry(Answer answer, long storedNanos, long lifetimeSeconds) {
  }

  private static final String MAP = "vxnet.dns.caches";
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int maxEntries;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  DnsCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The cache of one deployment, made by its first instance. */
  static DnsCache shared(Vertx vertx, String deploymentId, int maxEntries) {
    return vertx.sharedData().<String, DnsCache>getLocalMap(MAP).computeIfAbsent(deploymentId, id -> new DnsCache(maxEntries));
  }

  static void release(Vertx vertx, String deploymentId) {
    vertx.sharedData().<String, DnsCache>getLocalMap(MAP).remove(deploymentId);
  }

  /** The cached answer aged to {@code nowNanos}, or empty when there is none or its lifetime is over. */
  synchronized Optional<Answer> get(Key key, long nowNanos) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    long ageSeconds = (nowNanos - entry.storedNanos) / NANOS_PER_SECOND;
    if (ageSeconds >= entry.lifetimeSeconds) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(entry.answer.aged(ageSeconds));
  }

  /** Stores an answer for {@code lifetimeSeconds} (0 stores nothing); returns how many entries were evicted. */
  synchronized int put(Key key, Answer answer, long lifetimeSeconds, long nowNanos) {
    if (lifetimeSeconds <= 0 || maxEntries == 0) {
      return 0;
    }
    entries.put(key, new Entry(answer, nowNanos, lifetimeSeconds));
    int evicted = 0;
    var eldest = entries.entrySet().iterator();
    while (entries.size() > maxEntries) {
      eldest.next();
      eldest.remove();
      evicted++;
    }
    return evicted;
  }

  synchronized int size() {
    return entries.size();
  }
}
