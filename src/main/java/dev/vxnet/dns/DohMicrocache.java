package dev.vxnet.dns;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The DoH routes' recent answers, kept by one HTTP server instance for {@code doh_cache_ms}, so that a question
 * asked again within that window is answered on the request's own event loop: no event-bus round trip to the
 * resolver, whose cross-thread hop was the largest cost of a cached DoH answer (docs/profiles.md). A microcache, as
 * nginx's {@code proxy_cache_valid 1s}: the resolver's cache stays the one that decides what is fresh, and still
 * sees each question at least once a window (its prefetch and stale rules keep working); an answer reused here is at
 * most the window older than the resolver's, so its TTLs may read up to that much high. The routes keep only
 * answers, never a failure, and it keeps only small ones with a TTL above 0 ({@link #MAX_ANSWER_BYTES}). At most
 * {@link #MAX_ENTRIES} questions, the oldest dropped first, and entries older than the window are dropped as new ones
 * come: what it holds is what the last window brought. Confined to the server instance's event loop: no locking.
 *
 * @param <V> what is kept per question (or per query string): an encoded JSON answer, or the resolver's reply for a
 *     wire answer
 */
final class DohMicrocache<V> {

  /** Questions kept at most per server instance; beyond that the oldest is dropped. */
  static final int MAX_ENTRIES = 1_000;
  /** Larger answers are not kept, bytes: with {@link #MAX_ENTRIES}, a few MiB per cache at most. */
  private static final int MAX_ANSWER_BYTES = 4_096;

  private record Entry<V>(V value, long storedNanos) {
  }

  private final long windowNanos;
  private final LongAdder hits;
  private final Map<String, Entry<V>> entries = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  /** Keeps answers for {@code windowMs} (0: none), counting each reuse in {@code hits}. */
  DohMicrocache(long windowMs, LongAdder hits) {
    this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
    this.hits = hits;
  }

  /** The value kept for {@code question} if it is younger than the window, else {@code null}. */
  V get(String question) {
    if (windowNanos == 0) {
      return null;
    }
    Entry<V> entry = entries.get(question);
    if (entry == null) {
      return null;
    }
    if (System.nanoTime() - entry.storedNanos() >= windowNanos) {
      entries.remove(question);
      return null;
    }
    hits.increment();
    return entry.value();
  }

  /**
   * Keeps {@code value} as the answer to {@code question} from now on, unless it is larger than
   * {@link #MAX_ANSWER_BYTES} ({@code bytes}, its size as sent) or has a TTL of 0 ({@code maxAge}, s); entries past
   * the window are dropped.
   */
  void put(String question, V value, int bytes, long maxAge) {
    if (windowNanos == 0 || maxAge <= 0 || bytes > MAX_ANSWER_BYTES) {
      return;
    }
    long now = System.nanoTime();
    Iterator<Entry<V>> oldestFirst = entries.values().iterator();
    while (oldestFirst.hasNext() && now - oldestFirst.next().storedNanos() >= windowNanos) {
      oldestFirst.remove();
    }
    entries.remove(question); // re-inserted: the insertion order is the age order both evictions rely on
    entries.put(question, new Entry<>(value, now));
  }
}
