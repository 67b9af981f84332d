package dev.vxnet.https;

import dev.vxnet.net.Wire;

import java.util.Optional;

/**
 * The checks every request passes before any route sees it, whatever its HTTP version and port: its authority
 * ({@code Host} or {@code :authority}) and its request-target's path and query. Each returns the problem in words
 * (naming the part and the rule), or empty when the part is well formed. Pure functions of strings: no I/O.
 */
final class HttpSyntax {

  private HttpSyntax() {
  }

  /**
   * An authority as RFC 9110 section 7.2 allows in {@code Host} and {@code :authority}: {@code host [":" port]}, where
   * host is an IP literal ({@code [v6]}), or a name of letters, digits, {@code - . _ ~} (RFC 3986 unreserved; an IPv4
   * address is such a name), and port is 0-65535 in at most 5 digits. Percent-escapes and RFC 3986 sub-delims are
   * refused although RFC 3986 reg-name allows them: no DNS name has them, and Vert.x 5.0.7's own authority parser
   * fails with an exception on {@code %} (HostAndPortImpl.parseRegName indexes by the character's value). Empty is
   * allowed (HTTP/1.1 requests without a target authority send an empty Host).
   */
  static Optional<String> authorityProblem(String authority) {
    String host = authority;
    int portStart = -1;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        return Optional.of("an IP literal opened with [ is not closed with ]");
      }
      String literal = authority.substring(1, close);
      if (literal.isEmpty() || !literal.chars().allMatch(c -> isHex(c) || c == ':' || c == '.') || literal.indexOf(':') < 0) {
        return Optional.of("[" + literal + "] is not an IPv6 address");
      }
      if (close + 1 < authority.length()) {
        if (authority.charAt(close + 1) != ':') {
          return Optional.of("only :port may follow an IP literal");
        }
        portStart = close + 2;
      }
      host = null;
    } else {
      int colon = authority.lastIndexOf(':');
      if (colon >= 0) {
        host = authority.substring(0, colon);
        portStart = colon + 1;
      }
    }
    if (host != null) {
      for (int i = 0; i < host.length(); i++) {
        char c = host.charAt(i);
        if (!(isAlphaNumeric(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
          return Optional.of("character " + describe(c) + " at " + i + " is not allowed in a host name (letters, digits, - . _ ~)");
        }
      }
    }
    if (portStart >= 0) {
      String port = authority.substring(portStart);
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(HttpSyntax::isDigit) || Integer.parseInt(port) > 65_535) {
        return Optional.of("port \"" + shorten(port) + "\" is not a number from 0 to 65535");
      }
    }
    return Optional.empty();
  }

  /**
   * A request-target's path and query (RFC 9112 section 3.2, RFC 3986 section 3.3-3.4): no control character (C0 or
   * DEL) or space, every {@code %} followed by two hex digits, and no {@code .} or {@code ..} path segment, raw or
   * percent-encoded. Clients remove dot-segments before sending (RFC 3986 section 5.2.4), so one in a request is a
   * broken client or an attempt to climb out of a directory: refused here once for every route rather than
   * normalised differently by each. {@code query} may be null.
   */
  static Optional<String> targetProblem(String path, String query) {
    Optional<String> pathProblem = componentProblem("path", path);
    if (pathProblem.isPresent()) {
      return pathProblem;
    }
    if (query != null) {
      Optional<String> queryProblem = componentProblem("query", query);
      if (queryProblem.isPresent()) {
        return queryProblem;
      }
    }
    int start = 0;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      String segment = path.substring(start, end).replace("%2e", ".").replace("%2E", ".");
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("path: a \"" + segment + "\" segment (dot-segments are removed by clients before sending, "
          + "RFC 3986 section 5.2.4)");
      }
      start = end + 1;
    }
    return Optional.empty();
  }

  private static Optional<String> componentProblem(String part, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        return Optional.of(part + ": control character " + describe(c) + " at " + i);
      }
    }
    return Wire.badPercentEscape(text).map(problem -> part + ": " + problem);
  }

  static String describe(char c) {
    return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  private static String shorten(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.substring(0, Math.min(text.length(), 16)).toCharArray()) {
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return out.toString();
  }

  private static boolean isAlphaNumeric(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
