package dev.vxnet.https;

import dev.vxnet.net.Wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a request path into a path relative to the web root, refusing anything that could climb out of it: every
 * percent-escape is decoded (so {@code %2e%2e%2f} is seen as {@code ../}), and then a {@code .} or {@code ..} segment,
 * a backslash, a NUL byte, a malformed escape or invalid UTF-8 is a bad request. Segments starting with a dot
 * (hidden files such as {@code .git}) are reported as hidden and answered like missing files.
 */
final class StaticPath {

  /** A request path that is not acceptable for a file; the message says why. */
  static final class BadPath extends Exception {
    BadPath(String message) {
      super(message, null, false, false);
    }
  }

  private StaticPath() {
  }

  /** The decoded path without its leading slash ({@code ""} for the root), keeping a trailing slash. */
  static String relative(String requestPath) throws BadPath {
    String decoded = decode(requestPath);
    if (decoded.indexOf('\\') >= 0) {
      throw new BadPath("backslash in path");
    }
    if (decoded.indexOf('\0') >= 0) {
      throw new BadPath("NUL byte in path");
    }
    for (String segment : decoded.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new BadPath("dot segment in path");
      }
    }
    int start = 0;
    while (start < decoded.length() && decoded.charAt(start) == '/') {
      start++;
    }
    return decoded.substring(start);
  }

  static boolean hidden(String relative) {
    for (String segment : relative.split("/")) {
      if (segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String decode(String path) throws BadPath {
    if (path.indexOf('%') < 0) {
      return path;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
    int i = 0;
    while (i < path.length()) {
      int escape = path.indexOf('%', i);
      int plainEnd = escape < 0 ? path.length() : escape;
      bytes.writeBytes(path.substring(i, plainEnd).getBytes(StandardCharsets.UTF_8));
      if (escape < 0) {
        break;
      }
      if (escape + 2 >= path.length()) {
        throw new BadPath("truncated percent-escape in path");
      }
      int high = Character.digit(path.charAt(escape + 1), 16);
      int low = Character.digit(path.charAt(escape + 2), 16);
      if (high < 0 || low < 0) {
        throw new BadPath("malformed percent-escape in path");
      }
      bytes.write(high << 4 | low);
      i = escape + 3;
    }
    return Wire.decode(bytes.toByteArray(), StandardCharsets.UTF_8)
      .orElseThrow(() -> new BadPath("path is not valid UTF-8 once decoded"));
  }
}
