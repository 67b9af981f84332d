package dev.vxnet.https;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} request header (RFC 9110 section 14), resolved against a file size.
 * Only single ranges are served: a header with several ranges, another unit, or bad syntax is ignored and the
 * whole file is sent, which the RFC allows.
 */
record ByteRange(long first, long last) {

  /** The header asks for bytes that the file does not have: answer 416. */
  static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

  private static final Pattern SINGLE = Pattern.compile("bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

  long length() {
    return last - first + 1;
  }

  /** The range to send, {@link #UNSATISFIABLE}, or {@code null} to send the whole file. */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = SINGLE.matcher(header);
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        return suffix == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return null; // invalid syntax per RFC 9110 14.1.1: ignore the header
      }
      return first >= size ? UNSATISFIABLE : new ByteRange(first, Math.min(last, size - 1));
    } catch (NumberFormatException e) {
      return null; // more digits than a long holds
    }
  }
}
