package dev.vxnet.https;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.web.Responses;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Serves files under the web root: content type from the extension, {@code ETag} and {@code Last-Modified} with
 * 304 answers to conditional requests, single byte ranges (206, 416), {@code index.html} for directories, HEAD.
 * A file is served only if its real path (symbolic links resolved) lies inside the web root's real path. Requests
 * for no file fall through to the next route; other methods on an existing file get 405. The file is sent with
 * {@code sendFile}: zero-copy {@code sendfile(2)} on plain HTTP/1.1, read and encrypted in 64 KiB chunks under TLS
 * and on HTTP/2 ({@link FileChunks}); a file
 * of at most {@link #SMALL_FILE_BYTES} is kept in memory with its lookup and answered from there (no open, stat,
 * read or close per request). What a path resolved to is kept for {@link #PROPERTIES_TTL_MS} ({@link FileProperties}),
 * then checked again: kept bytes are reused while the file's size and modification time stay the same. Why this
 * handler rather than vertx-web's {@code StaticHandler}: docs/https.md, "Static files".
 */
final class StaticFiles implements Handler<RoutingContext> {

  static final String INDEX = "index.html";
  private static final String ALLOW = "GET, HEAD";
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
  /** How long a path's lookup is reused, ms: a file changed on disk is served changed at most this much later. */
  static final long PROPERTIES_TTL_MS = 1_000;
  /** Paths whose lookups are kept per verticle instance. */
  static final int PROPERTIES_MAX_ENTRIES = 1_024;
  /** Files up to this size, bytes, are kept in memory and answered from there. */
  static final int SMALL_FILE_BYTES = 64 * 1024;
  /** Bytes of small files kept per verticle instance, at most; least recently used out first. */
  static final long SMALL_FILES_MAX_BYTES = 8L << 20;

  private final Path root;
  private final FileProperties properties = new FileProperties(PROPERTIES_TTL_MS, PROPERTIES_MAX_ENTRIES,
    SMALL_FILES_MAX_BYTES, System::nanoTime);

  StaticFiles(Path realRoot) {
    this.root = realRoot;
  }

  /** What a relative path names under the root. */
  sealed interface Lookup permits Found, Missing, NeedsSlash {
  }

  /**
   * A file, with the header values it is answered with, computed once per lookup, and its bytes when it is small
   * ({@code content}, else {@code null}: it is then sent from the file).
   */
  record Found(Path file, long size, long modifiedMillis, String etag, String lastModified, String contentType,
               Buffer content) implements Lookup {

    Found(Path file, long size, long modifiedMillis) {
      this(file, size, modifiedMillis, null);
    }

    Found(Path file, long size, long modifiedMillis, Buffer content) {
      this(file, size, modifiedMillis, "\"" + Long.toHexString(modifiedMillis) + "-" + Long.toHexString(size) + "\"",
        httpDate(modifiedMillis), StaticFiles.contentType(file.getFileName().toString()), content);
    }

    /** Whether this is still the file that {@code real}, {@code size} and {@code modifiedMillis} describe. */
    boolean same(Path real, long size, long modifiedMillis) {
      return file.equals(real) && this.size == size && this.modifiedMillis == modifiedMillis;
    }
  }

  record Missing() implements Lookup {
  }

  /** A directory asked for without its trailing slash: redirect, so that relative links in its index work. */
  record NeedsSlash() implements Lookup {
  }

  @Override
  public void handle(RoutingContext ctx) {
    serve(ctx, ctx.normalizedPath());
  }

  /** Serves the file for {@code path} (a request path, still percent-encoded), or passes to the next route. */
  void serve(RoutingContext ctx, String path) {
    String relative;
    try {
      relative = StaticPath.relative(path);
    } catch (StaticPath.BadPath bad) {
      Responses.error(ctx, ErrorCode.BAD_REQUEST, bad.getMessage());
      return;
    }
    if (StaticPath.hidden(relative)) {
      ctx.next();
      return;
    }
    Lookup known = properties.get(relative);
    if (known != null) {
      answer(ctx, known);
      return;
    }
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause(); // hold any body until a route wants it
    }
    Lookup previous = properties.previous(relative);
    ctx.vertx().executeBlocking(() -> lookup(relative, previous), false).onComplete(result -> {
      if (!request.isEnded()) {
        request.resume();
      }
      if (result.failed()) {
        ctx.fail(result.cause());
      } else {
        properties.put(relative, result.result());
        answer(ctx, result.result());
      }
    });
  }

  private void answer(RoutingContext ctx, Lookup lookup) {
    HttpServerRequest request = ctx.request();
    if (lookup instanceof Found found) {
      if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
        send(ctx, found);
      } else {
        Responses.methodNotAllowed(ctx, ALLOW);
      }
    } else if (lookup instanceof NeedsSlash) {
      String query = request.query();
      ctx.response().setStatusCode(301)
        .putHeader(HttpHeaders.LOCATION, request.path() + "/" + (query == null ? "" : "?" + query))
        .end();
    } else {
      ctx.next();
    }
  }

  /**
   * Blocking: resolves {@code relative} (already checked by {@link StaticPath}) inside the root; reads a small file's
   * bytes unless {@code previous} (an earlier lookup of the same path, or null) holds them for the same file.
   */
  Lookup lookup(String relative, Lookup previous) throws IOException {
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root)) {
      return new Missing();
    }
    if (Files.isDirectory(target)) {
      if (!relative.isEmpty() && !relative.endsWith("/")) {
        return Files.isRegularFile(target.resolve(INDEX)) ? new NeedsSlash() : new Missing();
      }
      target = target.resolve(INDEX);
    }
    Path real;
    try {
      real = target.toRealPath();
    } catch (IOException e) {
      return new Missing(); // absent, a dangling link, or a directory we may not enter
    }
    if (!real.startsWith(root) || !Files.isReadable(real)) {
      return new Missing(); // a symbolic link out of the web root is treated as no file at all
    }
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isRegularFile()) {
      return new Missing();
    }
    long size = attributes.size();
    long modified = attributes.lastModifiedTime().toMillis();
    if (size > SMALL_FILE_BYTES) {
      return new Found(real, size, modified);
    }
    if (previous instanceof Found known && known.content() != null && known.same(real, size, modified)) {
      return known;
    }
    byte[] bytes = Files.readAllBytes(real); // what was read is what is served: its length is the size
    return new Found(real, bytes.length, modified, Buffer.buffer(bytes));
  }

  private void send(RoutingContext ctx, Found found) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String etag = found.etag();
    String lastModified = found.lastModified();
    response.putHeader(HttpHeaders.ETAG, etag)
      .putHeader(HttpHeaders.LAST_MODIFIED, lastModified)
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
      .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    if (notModified(request, etag, found.modifiedMillis())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, found.contentType())
      .putHeader("X-Content-Type-Options", "nosniff");
    ByteRange range = rangeFor(request, etag, lastModified, found.size());
    if (range == ByteRange.UNSATISFIABLE) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + found.size());
      Responses.error(ctx, ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE, "range " + request.getHeader("Range") + " is outside the file's "
        + found.size() + " bytes");
      return;
    }
    long offset = range == null ? 0 : range.first();
    long length = range == null ? found.size() : range.length();
    if (range != null) {
      response.setStatusCode(206)
        .putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + found.size());
    }
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length)).end();
    } else if (found.content() != null) {
      response.end(range == null ? found.content() : found.content().slice((int) offset, (int) (offset + length)));
    } else if (request.isSSL() || request.version() == HttpVersion.HTTP_2) {
      FileChunks.send(response, found.file(), offset, length).onFailure(ctx::fail);
    } else {
      response.sendFile(found.file().toString(), offset, length).onFailure(ctx::fail);
    }
  }

  /** RFC 9110 13.2.2: If-None-Match decides when present; otherwise If-Modified-Since, at one-second precision. */
  static boolean notModified(HttpServerRequest request, String etag, long modifiedMillis) {
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      return etagListMatches(ifNoneMatch, etag);
    }
    Long since = parseHttpDate(request.getHeader(HttpHeaders.IF_MODIFIED_SINCE));
    return since != null && modifiedMillis / 1000 <= since / 1000;
  }

  /** Weak comparison, as If-None-Match uses: {@code W/"x"} matches {@code "x"}; {@code *} matches any. */
  static boolean etagListMatches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String tag = candidate.trim();
      if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** The range to send, honouring If-Range (a stale validator means the whole file). */
  private static ByteRange rangeFor(HttpServerRequest request, String etag, String lastModified, long size) {
    String ifRange = request.getHeader("If-Range");
    if (ifRange != null && !ifRange.trim().equals(etag) && !ifRange.trim().equals(lastModified)) {
      return null;
    }
    return ByteRange.parse(request.getHeader("Range"), size);
  }

  static String contentType(String fileName) {
    String type = MimeMapping.mimeTypeForFilename(fileName);
    if (type == null) {
      return "application/octet-stream";
    }
    boolean text = type.startsWith("text/") || type.equals("application/json")
      || type.equals("image/svg+xml");
    return text ? type + "; charset=utf-8" : type;
  }

  /** IMF-fixdate (RFC 9110 5.6.7), always two-digit days, unlike {@link DateTimeFormatter#RFC_1123_DATE_TIME}. */
  static String httpDate(long millis) {
    return HTTP_DATE.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }

  static Long parseHttpDate(String value) {
    if (value == null) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null; // an unparseable date is ignored (RFC 9110 13.1.3)
    }
  }
}
