package dev.vxnet.dns.resolver;

import dev.vxnet.dns.upstream.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import org.xbill.DNS.Name;

import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Answers by question, shared by the instances of one deployment (every face of the resolver reads the same cache),
 * at most {@code maxEntries}, the least recently used evicted first. An answer is served with its TTLs lowered by
 * the whole seconds it has been cached, until its lifetime is over; after that it is kept {@code staleMaxSeconds}
 * more, to be served stale when the upstreams fail (RFC 8767). Time is passed in, so tests set it.
 */
final class DnsCache implements Shareable {

  record Key(Name name, int type) {
  }

  /**
   * A cached answer as it would be served now.
   *
   * @param answer           TTLs lowered by its age (while fresh; as stored once stale: the caller sets the stale TTL)
   * @param fresh            still within its lifetime
   * @param remainingSeconds seconds of lifetime left (0 when stale)
   * @param lifetimeSeconds  its whole lifetime, seconds
   */
  record Cached(Answer answer, boolean fresh, long remainingSeconds, long lifetimeSeconds) {
  }

  private static final class Entry {
    final Answer answer;
    final long storedNanos;
    final long lifetimeSeconds;
    /** The answer aged by {@link #agedSeconds}: TTL rewriting copies every record, so it is done once a second. */
    Answer aged;
    long agedSeconds = -1;

    Entry(Answer answer, long storedNanos, long lifetimeSeconds) {
      this.answer = answer;
      this.storedNanos = storedNanos;
      this.lifetimeSeconds = lifetimeSeconds;
    }
  }

  private static final String MAP = "vxnet.dns.caches";
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int maxEntries;
  private final long staleMaxSeconds;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private boolean reporterClaimed;

  DnsCache(int maxEntries, long staleMaxSeconds) {
    this.maxEntries = maxEntries;
    this.staleMaxSeconds = staleMaxSeconds;
  }

  /** The cache of one deployment, made by its first instance. */
  static DnsCache shared(Vertx vertx, String deploymentId, int maxEntries, long staleMaxSeconds) {
    return vertx.sharedData().<String, DnsCache>getLocalMap(MAP)
      .computeIfAbsent(deploymentId, id -> new DnsCache(maxEntries, staleMaxSeconds));
  }

  static void release(Vertx vertx, String deploymentId) {
    vertx.sharedData().<String, DnsCache>getLocalMap(MAP).remove(deploymentId);
  }

  /** The cached answer at {@code nowNanos}, fresh or stale; empty when there is none, or it is past its stale time too. */
  synchronized Optional<Cached> get(Key key, long nowNanos) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    long ageSeconds = Math.max(0, (nowNanos - entry.storedNanos) / NANOS_PER_SECOND);
    if (ageSeconds >= entry.lifetimeSeconds) {
      if (ageSeconds >= entry.lifetimeSeconds + staleMaxSeconds) {
        entries.remove(key);
        return Optional.empty();
      }
      return Optional.of(new Cached(entry.answer, false, 0, entry.lifetimeSeconds));
    }
    if (entry.agedSeconds != ageSeconds) {
      entry.aged = entry.answer.aged(ageSeconds);
      entry.agedSeconds = ageSeconds;
    }
    return Optional.of(new Cached(entry.aged, true, entry.lifetimeSeconds - ageSeconds, entry.lifetimeSeconds));
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

  /** True for the first caller only: the one instance that reports this node-wide cache's size. */
  synchronized boolean claimReporter() {
    boolean first = !reporterClaimed;
    reporterClaimed = true;
    return first;
  }

  /** Entries held, stale ones included. */
  synchronized int size() {
    return entries.size();
  }
}
