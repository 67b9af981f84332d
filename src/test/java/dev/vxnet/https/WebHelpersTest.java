package dev.vxnet.https;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The small pure pieces of the web server. */
class WebHelpersTest {

  @Test
  void redirectLocations() {
    assertEquals("https://example.org:8443/a%20b?x=1", HttpsRedirect.location("example.org", 8443, "/a%20b?x=1"));
    assertEquals("https://example.org/", HttpsRedirect.location("example.org", 443, "/"));
    assertEquals("https://[::1]:8443/", HttpsRedirect.location("::1", 8443, "/"));
    assertEquals("https://[::1]:8443/", HttpsRedirect.location("[::1]", 8443, "/"));
  }

  @Test
  void validators() {
    String etag = "\"abc-1\"";
    assertTrue(StaticFiles.etagListMatches("\"abc-1\"", etag));
    assertTrue(StaticFiles.etagListMatches("\"x\", W/\"abc-1\"", etag));
    assertTrue(StaticFiles.etagListMatches("*", etag));
    assertFalse(StaticFiles.etagListMatches("\"abc-2\"", etag));
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", StaticFiles.httpDate(784111777_000L));
    assertEquals("Sat, 05 Jan 2030 00:00:00 GMT", StaticFiles.httpDate(1893801600_000L), "two-digit day");
    assertEquals(784111777_000L, StaticFiles.parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"));
    assertNull(StaticFiles.parseHttpDate("yesterday"));
    assertEquals("text/html; charset=utf-8", StaticFiles.contentType("index.html"));
    assertEquals("text/javascript; charset=utf-8", StaticFiles.contentType("app.js"));
    assertEquals("image/svg+xml; charset=utf-8", StaticFiles.contentType("logo.svg"));
    assertEquals("image/png", StaticFiles.contentType("a.png"));
    assertEquals("application/octet-stream", StaticFiles.contentType("Makefile"));
  }

  @Test
  void lookupStaysInsideTheRoot(@TempDir Path dir) throws Exception {
    Path root = Files.createDirectory(dir.resolve("root"));
    Files.writeString(root.resolve("a.txt"), "a");
    Files.createDirectory(root.resolve("docs"));
    Files.writeString(root.resolve("docs").resolve("index.html"), "docs");
    Files.createDirectory(root.resolve("empty"));
    Files.writeString(dir.resolve("outside.txt"), "secret");
    Files.createSymbolicLink(root.resolve("out.txt"), dir.resolve("outside.txt"));
    StaticFiles files = new StaticFiles(root.toRealPath());

    StaticFiles.Found a = assertInstanceOf(StaticFiles.Found.class, files.lookup("a.txt", null));
    assertEquals(1, a.size());
    assertEquals("docs", Files.readString(assertInstanceOf(StaticFiles.Found.class, files.lookup("docs/", null)).file()));
    assertInstanceOf(StaticFiles.NeedsSlash.class, files.lookup("docs", null));
    assertInstanceOf(StaticFiles.Missing.class, files.lookup("empty", null), "a directory without an index is not served");
    assertInstanceOf(StaticFiles.Missing.class, files.lookup("empty/", null));
    assertInstanceOf(StaticFiles.Missing.class, files.lookup("out.txt", null));
    assertInstanceOf(StaticFiles.Missing.class, files.lookup("nothing.txt", null));
    assertInstanceOf(StaticFiles.Missing.class, files.lookup("", null), "no index.html in the root yet");
    Files.writeString(root.resolve("index.html"), "home");
    assertEquals("home", Files.readString(assertInstanceOf(StaticFiles.Found.class, files.lookup("", null)).file()));
  }

  @Test
  void smallFilesAreKeptInMemoryAndReadAgainOnlyWhenChanged(@TempDir Path dir) throws Exception {
    Path root = dir.toRealPath();
    Files.writeString(root.resolve("small.txt"), "first");
    Files.write(root.resolve("big.bin"), new byte[StaticFiles.SMALL_FILE_BYTES + 1]);
    StaticFiles files = new StaticFiles(root);

    StaticFiles.Found small = assertInstanceOf(StaticFiles.Found.class, files.lookup("small.txt", null));
    assertEquals("first", small.content().toString());
    assertSame(small, files.lookup("small.txt", small), "unchanged: its bytes are reused, not read again");
    Files.writeString(root.resolve("small.txt"), "second!");
    StaticFiles.Found changed = assertInstanceOf(StaticFiles.Found.class, files.lookup("small.txt", small));
    assertEquals("second!", changed.content().toString());
    assertEquals(7, changed.size());
    assertNotEquals(small.etag(), changed.etag());
    assertNull(assertInstanceOf(StaticFiles.Found.class, files.lookup("big.bin", null)).content(),
      "a file over " + StaticFiles.SMALL_FILE_BYTES + " bytes is sent from the file");
  }
}
