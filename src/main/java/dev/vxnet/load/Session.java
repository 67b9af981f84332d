package dev.vxnet.load;

import io.vertx.core.Future;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;

/**
 * One connection, socket or stream lane of a {@link Worker}, and the pacing of its operations: closed loop (a new
 * operation as soon as fewer than {@code window} are in flight) or constant rate (operation k is due at
 * {@code first + k * interval}; latency is measured from when it was due, not from when it could be sent, which is
 * the coordinated-omission correction of wrk2). Every method runs on the worker's event loop.
 */
abstract class Session {

  protected final Worker worker;
  private final int window;
  private final long intervalNanos;
  private long nextDue;
  private boolean wakeupPending;
  /** Operations sent and not yet answered, failed or expired. */
  protected int outstanding;
  private boolean closed;

  protected Session(Worker worker, int window) {
    this.worker = worker;
    this.window = window;
    this.intervalNanos = worker.intervalNanos();
  }

  /** Opens the connection or socket; the future fails with the reason it could not. */
  abstract Future<?> open();

  /**
   * Sends one operation.
   *
   * @param intended when it was due (constant rate) or now (closed loop): latency counts from here
   * @param now      when it is sent: its --timeout counts from here
   */
  protected abstract void send(long intended, long now);

  /** Fails the operations sent before {@code deadline} (nanoTime) that are still unanswered. */
  abstract void expire(long deadline);

  /** Closes the connection; what is still in flight is not counted. */
  abstract Future<?> close();

  final boolean isOpen() {
    return !closed;
  }

  /** Starts sending; at a constant rate the first operation is due at {@code firstDue} (nanoTime). */
  final void begin(long firstDue) {
    nextDue = firstDue;
    pump();
  }

  /** Sends what the window, the schedule, the count and the clock allow. */
  final void pump() {
    while (!closed && outstanding < window) {
      long now = System.nanoTime();
      long intended = now;
      if (intervalNanos > 0) {
        if (worker.measuring() && nextDue - worker.measureStart() < 0) {
          // What fell behind in the warm-up is not caught up in the measured time (wrk2 starts its schedule again).
          nextDue = worker.measureStart();
        }
        if (nextDue - now > 0) {
          wakeUpAt(nextDue - now);
          return;
        }
        intended = nextDue;
      }
      if (!worker.take(now)) {
        return;
      }
      nextDue += intervalNanos;
      outstanding++;
      send(intended, now);
    }
  }

  private void wakeUpAt(long delayNanos) {
    if (!wakeupPending) {
      wakeupPending = true;
      worker.timer(delayNanos, TimeUnit.NANOSECONDS).onComplete(fired -> {
        wakeupPending = false;
        pump();
      });
    }
  }

  /** An operation came back whole and right: it counts, with its latency, when it was sent in the measured time. */
  protected final void succeeded(long intended, long sentAt, long bytes) {
    outstanding--;
    worker.record(intended, sentAt, bytes);
    worker.ended();
    pump();
  }

  /** An operation whose outcome others count (chat: each delivery), now over. */
  protected final void over() {
    outstanding--;
    worker.ended();
    pump();
  }

  protected final void failed(ErrorKind kind, String detail) {
    outstanding--;
    worker.error(kind, detail);
    worker.ended();
    pump();
  }

  /**
   * The connection is gone: every operation in flight fails with {@code kind} (at least one error is counted, a
   * connection lost while idle is a failure too, unless the run is over), and nothing more is sent on it.
   */
  protected final void lost(ErrorKind kind, String detail) {
    if (closed) {
      return;
    }
    closed = true;
    int inFlight = outstanding;
    outstanding = 0;
    for (int i = 0; i < inFlight; i++) {
      worker.error(kind, detail);
      worker.ended();
    }
    if (inFlight == 0 && !worker.isStopping()) {
      worker.error(kind, detail);
    }
    worker.sessionLost();
  }

  /** A connection whose failure or close (by the server) fails what is in flight on it and ends the session. */
  protected final void failsWith(NetSocket socket) {
    socket.exceptionHandler(failure -> lost(ErrorKind.CLOSED, Load.describe(failure)));
    socket.closeHandler(closed -> lost(ErrorKind.CLOSED, "connection closed by the server"));
  }

  /** Marks the session closed by vxnet load itself: a close that follows is not a failure. */
  protected final boolean markClosed() {
    boolean was = closed;
    closed = true;
    return !was;
  }
}
