package dev.vxnet;

import dev.vxnet.config.StartupException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Lets a stop that comes while MainVerticle is still deploying wait for the deployment in flight instead of closing
 * Vert.x under it: Vert.x 5.0.7 fails the start promise of a verticle that is undeployed while starting, then
 * completes it again when the start ends ("IllegalStateException: Promise already completed", logged with its stack
 * trace). MainVerticle asks {@link #cancelled()} before each step and ends its start early; the launcher closes Vert.x
 * once {@link #cancel()} completes. One gate per Vert.x instance.
 */
final class StartGate {

  private static final Map<Vertx, StartGate> GATES = Collections.synchronizedMap(new WeakHashMap<>());

  private final Promise<Void> ended = Promise.promise();
  private volatile boolean cancelled;

  private StartGate() {
  }

  static StartGate of(Vertx vertx) {
    return GATES.computeIfAbsent(vertx, v -> new StartGate());
  }

  /** The start, tracked: when it ends, either way, {@link #cancel()} completes. */
  <T> Future<T> track(Future<T> start) {
    return start.andThen(result -> ended.tryComplete());
  }

  /** The start ended before it could be tracked (its deployment failed). */
  void ended() {
    ended.tryComplete();
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Asks the start to end at its next step; completes once no deployment of it is in flight. */
  Future<Void> cancel() {
    cancelled = true;
    return ended.future();
  }

  /** Thrown into the start's chain when it was cancelled: the start ends, and undoes what it deployed. */
  static final class Cancelled extends StartupException {
    Cancelled() {
      super("stopped while starting");
    }
  }
}
