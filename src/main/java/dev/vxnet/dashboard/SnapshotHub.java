package dev.vxnet.dashboard;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the web server instances of one node share for their dashboards (one per Vert.x instance, from its local
 * map): who gathers next, so that the node gathers once per interval however many instances have dashboards
 * connected; the {@link NodeRoster}; and the latest snapshot, sent at once to a dashboard that connects. Thread-safe:
 * the instances run on different event loops.
 */
final class SnapshotHub implements Shareable {

  private static final String MAP = "vxnet.dashboard";

  private final AtomicLong lastGatherNanos = new AtomicLong(Long.MIN_VALUE / 2);
  private final NodeRoster roster = new NodeRoster();
  private volatile String latest;

  static SnapshotHub of(Vertx vertx) {
    return vertx.sharedData().<String, SnapshotHub>getLocalMap(MAP).computeIfAbsent("hub", key -> new SnapshotHub());
  }

  /**
   * True for exactly one caller once {@code intervalNanos} have passed since the last gather began: that caller
   * gathers. A little early counts as due ({@code intervalNanos / 10}), so that timers of several instances ticking
   * at the same period do not skip a beat.
   */
  boolean claimGather(long nowNanos, long intervalNanos) {
    long last = lastGatherNanos.get();
    return nowNanos - last >= intervalNanos - intervalNanos / 10 && lastGatherNanos.compareAndSet(last, nowNanos);
  }

  /**
   * The snapshot of one gather, as sent to browsers: {@code {"at_ms": .., "interval_ms": .., "window_s": ..,
   * "gathered_by": node, "roster": [..], "stats": <the gather's document>}}; kept as the latest.
   */
  String snapshot(JsonObject gathered, String gatheredBy, long atMs, long intervalMs, int windowSeconds) {
    JsonObject snapshot;
    synchronized (roster) {
      snapshot = new JsonObject()
        .put("at_ms", atMs)
        .put("interval_ms", intervalMs)
        .put("window_s", windowSeconds)
        .put("gathered_by", gatheredBy)
        .put("roster", roster.update(gathered, atMs))
        .put("stats", gathered);
    }
    String encoded = snapshot.encode();
    latest = encoded;
    return encoded;
  }

  /** The latest snapshot, or {@code null} before the first gather. */
  String latest() {
    return latest;
  }
}
