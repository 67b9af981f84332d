package dev.vxnet.https;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@link StaticFiles} found for recently requested paths, reused for {@code ttlMs} so that a hot file is served
 * on the event loop without a worker-thread hop and without touching the file system (real path, attributes) on
 * each request. Only files found (and directories to redirect) are kept, at most {@code maxEntries} and at most
 * {@code maxContentBytes} of small files' bytes, least recently used first out: requests for paths that do not exist
 * cannot fill it. A file changed on disk is seen at the latest {@code ttlMs} later; an entry past its time stays
 * until replaced, for {@link #previous} (a lookup reuses its bytes when the file did not change). One per verticle
 * instance, used only on its event loop: no locking.
 */
final class FileProperties {

  private record Entry(StaticFiles.Lookup lookup, long expiresNanos) {
  }

  private final long ttlNanos;
  private final int maxEntries;
  private final long maxContentBytes;
  private final LongSupplier nanoTime;
  private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long contentBytes;

  FileProperties(long ttlMs, int maxEntries, long maxContentBytes, LongSupplier nanoTime) {
    this.ttlNanos = ttlMs * 1_000_000;
    this.maxEntries = maxEntries;
    this.maxContentBytes = maxContentBytes;
    this.nanoTime = nanoTime;
  }

  /** What was found for {@code relative} less than {@code ttlMs} ago, or {@code null}. */
  StaticFiles.Lookup get(String relative) {
    Entry entry = entries.get(relative);
    if (entry == null) {
      return null;
    }
    return nanoTime.getAsLong() - entry.expiresNanos >= 0 ? null : entry.lookup;
  }

  /** What was last found for {@code relative}, however long ago, or {@code null}: to be checked, not served. */
  StaticFiles.Lookup previous(String relative) {
    Entry entry = entries.get(relative);
    return entry == null ? null : entry.lookup;
  }

  /** Remembers a lookup of a file or of a directory to redirect; a missing one is forgotten. */
  void put(String relative, StaticFiles.Lookup lookup) {
    Entry old = lookup instanceof StaticFiles.Missing ? entries.remove(relative)
      : entries.put(relative, new Entry(lookup, nanoTime.getAsLong() + ttlNanos));
    contentBytes += bytes(lookup instanceof StaticFiles.Missing ? null : lookup) - (old == null ? 0 : bytes(old.lookup));
    Iterator<Entry> eldest = entries.values().iterator();
    while ((entries.size() > maxEntries || contentBytes > maxContentBytes) && eldest.hasNext()) {
      contentBytes -= bytes(eldest.next().lookup);
      eldest.remove();
    }
  }

  private static long bytes(StaticFiles.Lookup lookup) {
    return lookup instanceof StaticFiles.Found found && found.content() != null ? found.content().length() : 0;
  }
}
