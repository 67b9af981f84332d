package dev.vxnet.https;

import io.vertx.core.MultiMap;

import java.util.List;

/**
 * The two things a client of {@code /api/echo} may ask of the answer: its status and a delay before it. Each comes
 * from a query parameter or, failing that, a header (the names other echo servers use); a value that is not an
 * integer in range is rejected with a message naming where it came from.
 */
record EchoKnobs(int status, long delayMs) {

  static final String STATUS_PARAM = "status";
  static final String STATUS_HEADER = "x-set-response-status-code";
  static final String DELAY_PARAM = "delay_ms";
  static final String DELAY_HEADER = "x-set-response-delay-ms";

  /** 1xx are interim answers in HTTP: a final answer cannot have one, so the echo answers 200..599. */
  static final int MIN_STATUS = 200;
  static final int MAX_STATUS = 599;

  /** A knob with a value that cannot be used; the message names the parameter or header. */
  static final class BadKnob extends Exception {
    BadKnob(String message) {
      super(message, null, false, false);
    }
  }

  static EchoKnobs from(MultiMap query, MultiMap headers, long maxDelayMs) throws BadKnob {
    long status = value(query, headers, STATUS_PARAM, STATUS_HEADER, MIN_STATUS, MAX_STATUS, 200);
    long delay = value(query, headers, DELAY_PARAM, DELAY_HEADER, 0, maxDelayMs, 0);
    return new EchoKnobs((int) status, delay);
  }

  private static long value(MultiMap query, MultiMap headers, String param, String header, long min, long max, long absent)
    throws BadKnob {
    List<String> fromQuery = query.getAll(param);
    List<String> values = fromQuery.isEmpty() ? headers.getAll(header) : fromQuery;
    String name = fromQuery.isEmpty() ? "header " + header : "query parameter " + param;
    if (values.isEmpty()) {
      return absent;
    }
    if (values.size() > 1) {
      throw new BadKnob(name + ": given " + values.size() + " times, expected once");
    }
    String raw = values.get(0).trim();
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new BadKnob(name + ": expected an integer from " + min + " to " + max + ", got \"" + shorten(raw) + "\"");
    }
    if (value < min || value > max) {
      throw new BadKnob(name + ": expected an integer from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  private static String shorten(String raw) {
    return raw.length() > 40 ? raw.substring(0, 40) + "..." : raw;
  }
}
