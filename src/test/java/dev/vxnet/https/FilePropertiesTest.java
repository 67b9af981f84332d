package dev.vxnet.https;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The file-properties cache of the static files, on a clock the test sets. */
class FilePropertiesTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final FileProperties cache = new FileProperties(1_000, 2, 100, now::get);
  private final StaticFiles.Found a = new StaticFiles.Found(Path.of("/w/a"), 1, 0);

  @Test
  void aLookupIsReusedUntilItsTimeIsUp() {
    cache.put("a", a);
    now.addAndGet(999_000_000L);
    assertSame(a, cache.get("a"));
    now.addAndGet(1_000_000L);
    assertNull(cache.get("a"), "1000 ms later the file system is asked again");
  }

  @Test
  void missingFilesAreNotKept() {
    cache.put("nothing", new StaticFiles.Missing());
    assertNull(cache.get("nothing"));
  }

  @Test
  void theLeastRecentlyUsedGoesFirst() {
    StaticFiles.Found b = new StaticFiles.Found(Path.of("/w/b"), 2, 0);
    cache.put("a", a);
    cache.put("b", b);
    cache.get("a");
    cache.put("c", new StaticFiles.NeedsSlash());
    assertSame(a, cache.get("a"));
    assertNull(cache.get("b"), "at most 2 entries: b was used least recently");
  }

  @Test
  void anExpiredLookupIsStillThereToBeChecked() {
    cache.put("a", a);
    now.addAndGet(2_000_000_000L);
    assertNull(cache.get("a"));
    assertSame(a, cache.previous("a"), "the worker compares it with the file before reading the file again");
    cache.put("a", new StaticFiles.Missing());
    assertNull(cache.previous("a"), "a file that went away is forgotten");
  }

  @Test
  void keptBytesAreBoundedLeastRecentlyUsedFirstOut() {
    StaticFiles.Found sixty = new StaticFiles.Found(Path.of("/w/sixty"), 60, 0, Buffer.buffer(new byte[60]));
    StaticFiles.Found fifty = new StaticFiles.Found(Path.of("/w/fifty"), 50, 0, Buffer.buffer(new byte[50]));
    cache.put("sixty", sixty);
    cache.put("fifty", fifty);
    assertNull(cache.get("sixty"), "110 bytes are over the 100 allowed: the older one goes");
    assertSame(fifty, cache.get("fifty"));
    cache.put("fifty", a);
    cache.put("sixty", sixty);
    assertSame(sixty, cache.get("sixty"), "replacing fifty by a file without bytes freed its 50");
    assertSame(a, cache.get("fifty"));
  }
}
