package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** One validated request of the fetch service (docs/fetch.md has the JSON schema). */
record FetchRequest(URI url, HttpMethod method, List<Map.Entry<String, String>> headers, Buffer body, long timeoutMs,
                    long maxBytes, boolean followRedirects, int maxRedirects) {

  static final List<String> FIELDS = List.of("url", "method", "headers", "body", "body_encoding", "timeout_ms", "max_bytes",
    "follow_redirects", "max_redirects", "reply_within_ms");
  static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE");
  private static final int MAX_URL_LENGTH = 8192;
  /** Managed by the client for the connection it picks; a caller setting them would desync or smuggle requests. */
  private static final Pattern CANONICAL_IPV4 =
    Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
    "keep-alive", "upgrade", "te", "trailer", "proxy-connection", "http2-settings");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** Parses one request; {@code prefix} names where it sits ({@code "requests[3]."}) in error messages. */
  static FetchRequest parse(JsonObject json, String prefix, FetchLimits limits) {
    JsonFields fields = new JsonFields(json, prefix);
    fields.refuseUnknown(FIELDS);
    URI url = url(fields.requiredText("url"), prefix + "url");
    String methodName = fields.text("method", "GET").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(methodName)) {
      throw fields.bad("method", "expected one of " + String.join(", ", METHODS) + ", got \"" + fields.raw("method") + "\"");
    }
    HttpMethod method = HttpMethod.valueOf(methodName);
    Buffer body = body(fields, method);
    return new FetchRequest(url, method, headers(fields), body,
      fields.integer("timeout_ms", limits.timeoutMs(), 1, limits.maxTimeoutMs()),
      fields.integer("max_bytes", limits.responseBytes(), 0, limits.maxResponseBytes()),
      fields.flag("follow_redirects", true),
      (int) fields.integer("max_redirects", limits.maxRedirects(), 0, limits.maxRedirects()));
  }

  /** The caller's own wait limit, if it gave one: the reply must come before it. */
  static long replyWithinMs(JsonObject json, String prefix) {
    return new JsonFields(json, prefix).integer("reply_within_ms", Long.MAX_VALUE, 1, Long.MAX_VALUE);
  }

  /**
   * An absolute http(s) URL with a host and no credentials. Other schemes are {@code DENIED} (a policy), while
   * malformed URLs are {@code BAD_REQUEST}; messages start with {@code field}.
   */
  static URI url(String text, String field) {
    if (text.length() > MAX_URL_LENGTH) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": longer than " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": not a valid URL: " + e.getMessage());
    }
    if (uri.getScheme() == null) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": must be an absolute http:// or https:// URL, got \"" + text + "\"");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(ErrorCode.DENIED, field + ": scheme " + scheme + " is not allowed (only http and https)", "scheme");
    }
    String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceFirst("^.*@", "");
    String host = uri.getHost() != null ? uri.getHost() : authority.replaceFirst(":[0-9]*$", "");
    nonCanonicalIpv4(host).ifPresent(problem -> {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": " + problem, "ipv4_notation");
    });
    if (uri.getHost() == null) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": no valid host in \"" + text + "\"");
    }
    if (uri.getRawUserInfo() != null) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": credentials in the URL are not accepted; send an Authorization header");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new FetchException(ErrorCode.BAD_REQUEST, field + ": port must be 1 to 65535, got " + uri.getPort());
    }
    return uri;
  }

  /**
   * Why {@code host} is refused as an IPv4 address in a notation other than a.b.c.d, or empty. A host whose last
   * label is a number (decimal, or hex with {@code 0x}) is an IPv4 address to the WHATWG URL standard, so browsers
   * and curl read {@code 0177.0.0.1} (octal), {@code 0x7f.1} (hex), {@code 127.1} (short), {@code 2130706433}
   * (one number) and {@code 127.000.0.1} (leading zeros) all as 127.0.0.1, while other parsers (the JDK's, a
   * resolver's) read some of them as another address or as a name. Only four decimal numbers 0-255 without leading
   * zeros, and no trailing dot, are accepted, before any lookup.
   */
  static Optional<String> nonCanonicalIpv4(String host) {
    String[] labels = host.split("\\.", -1);
    String last = labels[labels.length - 1].isEmpty() && labels.length > 1 ? labels[labels.length - 2] : labels[labels.length - 1];
    boolean number = !last.isEmpty() && (last.chars().allMatch(c -> c >= '0' && c <= '9')
      || ((last.startsWith("0x") || last.startsWith("0X")) && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)));
    if (!number || CANONICAL_IPV4.matcher(host).matches()) {
      return Optional.empty();
    }
    return Optional.of("host " + host + " ends in a number, so browsers and curl read it as an IPv4 address (octal, hex, "
      + "short or zero-padded notation), which other parsers read differently; write the address as four decimal numbers "
      + "0-255 without leading zeros (a.b.c.d)");
  }

  private static List<Map.Entry<String, String>> headers(JsonFields fields) {
    Object raw = fields.raw("headers");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    if (raw == null) {
      return headers;
    }
    if (!(raw instanceof JsonObject object)) {
      throw fields.bad("headers", "expected an object of name: value (or name: [values])");
    }
    for (Map.Entry<String, Object> entry : object) {
      String name = entry.getKey();
      if (!TOKEN.matcher(name).matches()) {
        throw fields.bad("headers", "\"" + name + "\" is not a valid header name");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw fields.bad("headers." + name, "set by the fetcher itself, not accepted from requests");
      }
      List<Object> values = entry.getValue() instanceof JsonArray array ? array.getList() : List.of(entry.getValue());
      for (Object value : values) {
        if (!(value instanceof String s) || s.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
          throw fields.bad("headers." + name, "expected a string (or a list of strings) without CR, LF or NUL");
        }
        headers.add(Map.entry(name, s));
      }
    }
    return headers;
  }

  private static Buffer body(JsonFields fields, HttpMethod method) {
    String encoding = fields.text("body_encoding", "text");
    if (!encoding.equals("text") && !encoding.equals("base64")) {
      throw fields.bad("body_encoding", "expected text or base64, got \"" + encoding + "\"");
    }
    String text = fields.text("body", null);
    if (text == null) {
      return null;
    }
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      throw fields.bad("body", "not accepted with " + method.name() + "; use POST, PUT or DELETE");
    }
    if (encoding.equals("text")) {
      return Buffer.buffer(text);
    }
    try {
      return Buffer.buffer(Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw fields.bad("body", "not valid base64 (" + e.getMessage() + ")");
    }
  }
}
