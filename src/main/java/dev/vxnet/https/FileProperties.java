package dev.vxnet.https;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@link StaticFiles} found for recently requested paths, reused for {@code ttlMs} so that a hot file is served
 * on the event loop without a worker-thread hop and without touching the file system (real path, attributes) on
 * each request. Only files found (and directories to redirect) are kept, at most {@code maxEntries}, least recently
 * used first out: requests for paths that do not exist cannot fill it. A file changed on disk is seen at the latest
 * {@code ttlMs} later. One per verticle instance, used only on its event loop: no locking.
 */
final class FileProperties {

  private record Entry(StaticFiles.Lookup lookup, long expiresNanos) {
  }

  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> entries;

  FileProperties(long ttlMs, int maxEntries, LongSupplier nanoTime) {
    this.ttlNanos = ttlMs * 1_000_000;
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** What was found for {@code relative} less than {@code ttlMs} ago, or {@code null}. */
  StaticFiles.Lookup get(String relative) {
    Entry entry = entries.get(relative);
    if (entry == null) {
      return null;
    }
    if (nanoTime.getAsLong() - entry.expiresNanos >= 0) {
      entries.remove(relative);
      return null;
    }
    return entry.lookup;
  }

  /** Remembers a lookup of a file or of a directory to redirect; a missing one is not kept. */
  void put(String relative, StaticFiles.Lookup lookup) {
    if (!(lookup instanceof StaticFiles.Missing)) {
      entries.put(relative, new Entry(lookup, nanoTime.getAsLong() + ttlNanos));
    }
  }
}
