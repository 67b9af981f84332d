package dev.vxnet.https;

import dev.vxnet.config.Key;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which answers the server compresses when {@code compression} is on, and how. Vert.x's server compression
 * ({@code HttpServerOptions#setCompressionSupported}) negotiates br, gzip or deflate from {@code Accept-Encoding} for
 * every answer; an answer marked {@code Content-Encoding: identity} is left alone (Vert.x then drops the header).
 * Text types shrink; images, archives and random bytes do not, and event streams must not wait for a compressor.
 */
final class Compressible {

  /**
   * What the server compresses with, the client's {@code Accept-Encoding} choosing (equal preferences: br, then gzip,
   * then deflate, Netty's order): Brotli (RFC 7932) through brotli4j where its native library loads, gzip and
   * deflate at zlib's level 6 (Vert.x's default).
   */
  static final List<CompressionOptions> COMPRESSORS = compressors();

  /** The {@code compression} key of a server section; its default differs between the servers. */
  static Key key(boolean defaultValue, String why) {
    return Key.flag("compression", defaultValue, "Compress text answers (HTML, CSS, JSON, XML, JavaScript, SVG) with Brotli, "
      + "gzip or deflate as the request's `Accept-Encoding` allows; other types go out as they are. " + why);
  }

  private static List<CompressionOptions> compressors() {
    List<CompressionOptions> compressors = new ArrayList<>();
    if (Brotli.isAvailable()) {
      compressors.add(StandardCompressionOptions.brotli());
    }
    compressors.add(StandardCompressionOptions.gzip(6, 15, 8));
    compressors.add(StandardCompressionOptions.deflate(6, 15, 8));
    return List.copyOf(compressors);
  }

  private Compressible() {
  }

  /** Whether an answer of {@code contentType} (may be null, may have parameters) is worth compressing. */
  static boolean text(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (type.equals("text/event-stream")) {
      return false;
    }
    return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
      || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
      || type.equals("application/dns-json");
  }

  /**
   * Marks {@code response} {@code identity} unless it is text or already encoded (as {@code /gzip} is). Answers
   * without content (HEAD, 1xx, 204, 205, 304) are never compressed: over HTTP/1.x Netty passes them through and would
   * leave the mark on them, so they stay unmarked; over HTTP/2 Vert.x would name an encoding it never applies
   * ({@code content-encoding: gzip} on an empty 204), so they are marked and Vert.x drops the mark.
   */
  static void markIdentityUnlessText(HttpServerRequest request, HttpServerResponse response) {
    int status = response.getStatusCode();
    boolean bodyless = request.method() == HttpMethod.HEAD || status < 200 || status == 204 || status == 205 || status == 304;
    if (response.headers().contains(HttpHeaders.CONTENT_ENCODING)) {
      return;
    }
    if (bodyless ? request.version() == HttpVersion.HTTP_2 : !text(response.headers().get(HttpHeaders.CONTENT_TYPE))) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    }
  }
}
