package dev.vxnet.bus;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The window's percentiles, its 10-second memory and its bounds, on a clock moved by hand. */
class LatencyWindowTest {

  private long now = TimeUnit.SECONDS.toNanos(1_000);
  private final LatencyWindow window = new LatencyWindow(() -> now);

  private void record(double millis) {
    long start = now;
    now += (long) (millis * 1_000_000);
    window.recordSince(start);
  }

  @Test
  void percentilesOfWhatWasRecordedWithinTwoSignificantDigits() {
    for (int i = 1; i <= 100; i++) {
      record(i); // 1..100 ms, one each
    }
    JsonObject json = window.toJson();
    assertEquals(100, json.getLong("count"));
    assertEquals(50, json.getDouble("p50_ms"), 0.5, json.encode());
    assertEquals(99, json.getDouble("p99_ms"), 1.0, json.encode());
    assertEquals(100, json.getDouble("max_ms"), 1.0, json.encode());
  }

  @Test
  void anEmptyWindowIsAllZero() {
    assertEquals(new JsonObject().put("count", 0L).put("p50_ms", 0.0).put("p99_ms", 0.0).put("max_ms", 0.0), window.toJson());
  }

  @Test
  void samplesLeaveTheWindowAfterTenSeconds() {
    record(500); // one slow request
    now += TimeUnit.SECONDS.toNanos(5);
    for (int i = 0; i < 10; i++) {
      record(1);
    }
    assertEquals(11, window.toJson().getLong("count"));
    assertEquals(500, window.toJson().getDouble("max_ms"), 5.0, "the slow one still counts within 10 s");
    now += TimeUnit.SECONDS.toNanos(5);
    JsonObject later = window.toJson();
    assertEquals(10, later.getLong("count"), "the slow one is older than 10 s: " + later.encode());
    assertEquals(1, later.getDouble("p99_ms"), 0.02);
    now += TimeUnit.SECONDS.toNanos(10);
    assertEquals(0, window.toJson().getLong("count"), "nothing within the last 10 s");
  }

  @Test
  void aSlotReusedAfterItsSecondLeftTheWindowForgetsItsOldSamples() {
    record(200);
    now += TimeUnit.SECONDS.toNanos(10); // the same slot, ten seconds on
    record(2);
    JsonObject json = window.toJson();
    assertEquals(1, json.getLong("count"), json.encode());
    assertEquals(2, json.getDouble("max_ms"), 0.05);
  }

  @Test
  void durationsOutsideTheRangeAreClampedNotLost() {
    window.recordSince(now); // 0 ns: counted as 1 µs
    window.recordSince(now - TimeUnit.MILLISECONDS.toNanos(LatencyWindow.HIGHEST_MS * 3)); // began 3 minutes ago
    JsonObject json = window.toJson();
    assertEquals(2, json.getLong("count"));
    assertEquals(LatencyWindow.HIGHEST_MS, json.getDouble("max_ms"), LatencyWindow.HIGHEST_MS / 100.0);
  }
}
