package dev.vxnet.fetch.client;

/** When a fetch must have answered, and which limit set that time (for the TIMEOUT message). */
record Deadline(long atNanos, String limit) {

  static Deadline after(long millis, String limit) {
    long now = System.nanoTime();
    // Saturate: an unset limit (Long.MAX_VALUE ms) must not wrap around into the past.
    long nanos = millis >= Long.MAX_VALUE / 2_000_000 ? Long.MAX_VALUE / 2 : millis * 1_000_000;
    return new Deadline(now + nanos, limit);
  }

  Deadline earliest(Deadline other) {
    return other.atNanos - atNanos < 0 ? other : this;
  }

  /** Rounded up, so that a timer set for it fires once the deadline has {@link #passed()}, never just before. */
  long remainingMs() {
    return Math.max(0, (atNanos - System.nanoTime() + 999_999) / 1_000_000);
  }

  boolean passed() {
    return atNanos - System.nanoTime() <= 0;
  }
}
