package dev.vxnet.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The one-line live display of a run on a terminal: time, rate over the last second, errors and p99 so far, rewritten
 * in place on standard error. Off when the output is not a terminal, so logs and pipes get only the result.
 */
final class Progress {

  private final PrintStream out;
  private final String unit;
  private long lastOperations;
  private long lastNanos;
  private boolean shown;

  private Progress(PrintStream out, String unit) {
    this.out = out;
    this.unit = unit;
  }

  /** Progress on {@code out} when this JVM runs on a terminal, else none. */
  static Progress onTerminal(PrintStream out, String unit) {
    return System.console() != null ? new Progress(out, unit) : null;
  }

  void show(double secondsSinceStart, double warmupS, long operations, long errors, double p99Us) {
    long now = System.nanoTime();
    double rate = lastNanos == 0 ? 0 : (operations - lastOperations) * 1e9 / (now - lastNanos);
    lastOperations = operations;
    lastNanos = now;
    String phase = secondsSinceStart < warmupS ? "warm-up " : "";
    out.print(String.format(Locale.ROOT, "\r\033[K[%s%5.1f s] %,12.0f %s/s   errors %,d   p99 %s",
      phase, secondsSinceStart, rate, unit, errors, Report.latency(p99Us)));
    out.flush();
    shown = true;
  }

  void clear() {
    if (shown) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
