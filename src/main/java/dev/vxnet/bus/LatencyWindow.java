package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The durations one verticle instance measured in the last {@link #WINDOW_SECONDS} seconds (request times of a web
 * server, of the resolver, of the fetcher), as HdrHistogram histograms: {@link #SLOTS} slots of one second each,
 * so the percentiles cover between 9 and 10 s of samples, never older ones. Values are kept in microseconds with two
 * significant digits (1 % relative error) from 1 µs to {@link #HIGHEST_MS} ms; longer durations count as that.
 *
 * <p>Not thread-safe, on purpose: one window per verticle instance, recorded and read on that instance's event loop
 * (its handlers and its {@link StatsReporter} consumer run on its context), so the hot path takes no lock and
 * shares no cache line with another event loop. A slot is allocated on first use (about 10 KiB) and reused.
 */
public final class LatencyWindow {

  /** The window: percentiles cover the current second and the nine before it. */
  public static final int WINDOW_SECONDS = 10;
  /** Longest duration told apart, ms; longer ones are recorded as this. */
  public static final long HIGHEST_MS = 60_000;
  static final int SLOTS = WINDOW_SECONDS;
  private static final long HIGHEST_MICROS = TimeUnit.MILLISECONDS.toMicros(HIGHEST_MS);
  private static final int SIGNIFICANT_DIGITS = 2;

  private final LongSupplier nanoClock;
  private final AbstractHistogram[] slots = new AbstractHistogram[SLOTS];
  private final long[] slotSecond = new long[SLOTS];
  private AbstractHistogram merged;

  /** A window on {@link System#nanoTime()}. */
  public LatencyWindow() {
    this(System::nanoTime);
  }

  /** A window on {@code nanoClock} (monotonic nanoseconds; tests move it by hand). */
  LatencyWindow(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The current time of this window's clock, ns: pass it to {@link #recordSince} when the measured work ends. */
  public long now() {
    return nanoClock.getAsLong();
  }

  /** Records the time from {@code startNanos} (a {@link #now()}) to now, reading the clock once. */
  public void recordSince(long startNanos) {
    long now = nanoClock.getAsLong();
    record(now - startNanos, now);
  }

  private void record(long durationNanos, long nowNanos) {
    long second = Math.floorDiv(nowNanos, 1_000_000_000L);
    int index = (int) Math.floorMod(second, (long) SLOTS);
    AbstractHistogram slot = slots[index];
    if (slot == null) {
      slot = slots[index] = newHistogram();
      slotSecond[index] = second;
    } else if (slotSecond[index] != second) {
      slot.reset(); // its second left the window
      slotSecond[index] = second;
    }
    long micros = Math.max(1, Math.min(HIGHEST_MICROS, durationNanos / 1_000));
    slot.recordValue(micros);
  }

  /**
   * The window now: {@code {"count": N, "p50_ms": 0.25, "p99_ms": 1.9, "max_ms": 3.1}}, durations in milliseconds
   * (three decimals), all 0 when nothing was recorded in the window.
   */
  public JsonObject toJson() {
    long second = Math.floorDiv(nanoClock.getAsLong(), 1_000_000_000L);
    if (merged == null) {
      merged = newHistogram();
    } else {
      merged.reset();
    }
    for (int i = 0; i < SLOTS; i++) {
      if (slots[i] != null && slotSecond[i] > second - SLOTS && slotSecond[i] <= second) {
        merged.add(slots[i]);
      }
    }
    return new JsonObject()
      .put("count", merged.getTotalCount())
      .put("p50_ms", millis(merged.getValueAtPercentile(50)))
      .put("p99_ms", millis(merged.getValueAtPercentile(99)))
      .put("max_ms", millis(merged.getMaxValue()));
  }

  private static double millis(long micros) {
    return micros / 1_000.0;
  }

  private static AbstractHistogram newHistogram() {
    return new IntCountsHistogram(1, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }
}
