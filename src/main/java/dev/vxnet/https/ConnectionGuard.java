package dev.vxnet.https;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.HalfClosure;
import dev.vxnet.net.TlsAcceptGate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closes connections that do not deliver a request's headers in time. Vert.x's idle timeout is reset by every byte,
 * so a client trickling headers a byte at a time (slowloris) would hold a connection forever; this guard instead
 * gives a connection {@code header_timeout_ms} from the moment it has no request in progress (just opened, or its
 * last response ended) until the next request's headers are complete. A WebSocket upgrade never ends as a request,
 * so upgraded connections are left to the idle timeout. One guard per verticle instance: its
 * connections and requests all run on the instance's event loop, so the map needs no locking. It also admits each
 * connection within the server's and the node's {@link ConnectionLimit}: one over either is closed at once and counted
 * as {@code refused}. A TLS connection reaches the guard once its handshake is done (which {@code header_timeout_ms}
 * bounds too), and {@link TlsAcceptGate} has admitted it against the same limits when it was accepted.
 */
final class ConnectionGuard {

  private final Vertx vertx;
  private final long headerTimeoutMs;
  private final LongAdder open;
  private final LongAdder total;
  private final LongAdder headerTimeouts;
  private final LongAdder refused;
  private final ConnectionLimit limit;
  private final boolean tlsCountedAtAccept;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();

  /**
   * One connection's deadline. Its one timer is not moved per request (a set and a cancel per request were 7 % of the
   * event loop on a tiny route, docs/profiles.md): it fires at the deadline it was armed for, and then closes the
   * connection only if it has been without a request for {@code header_timeout_ms}, or is armed again for the rest.
   */
  private static final class Watch {
    int inFlight;
    boolean inputEnded;
    HttpServerRequest latest;
    long idleSinceNanos;
    long timer = -1;
  }

  ConnectionGuard(Vertx vertx, long headerTimeoutMs, Counters counters, ConnectionLimit limit) {
    this.limit = limit;
    this.tlsCountedAtAccept = TlsAcceptGate.countsAtAccept(vertx); // known once limit exists: it sets the gate's node limit
    this.refused = counters.counter("refused");
    this.vertx = vertx;
    this.headerTimeoutMs = headerTimeoutMs;
    this.open = counters.counter("connections_open");
    this.total = counters.counter("connections_total");
    this.headerTimeouts = counters.counter("header_timeouts");
  }

  /** Watches a new connection, or closes it when over a limit; whether it was admitted. */
  boolean admit(HttpConnection connection) {
    boolean countedAtAccept = tlsCountedAtAccept && connection.isSsl();
    if (!countedAtAccept && !limit.tryAcquire()) {
      refused.increment();
      connection.close();
      return false;
    }
    open.increment();
    total.increment();
    Watch watch = new Watch();
    watches.put(connection, watch);
    watch.idleSinceNanos = System.nanoTime();
    arm(connection, watch, headerTimeoutMs);
    connection.closeHandler(v -> {
      vertx.cancelTimer(watch.timer);
      watches.remove(connection);
      open.decrement();
      if (!countedAtAccept) {
        limit.release();
      }
    });
    return true;
  }

  /** The headers of {@code request} have arrived on {@code connection}. */
  void requestStarted(HttpConnection connection, HttpServerRequest request) {
    Watch watch = watches.get(connection);
    if (watch != null) {
      watch.inFlight++;
      watch.latest = request;
    }
  }

  /**
   * The client sent its FIN ({@link HalfClosure}): {@code connection} closes once every request it
   * sent before is answered. One event-loop turn after the last answer, so that a pipelined request Vert.x still
   * holds starts first.
   */
  void inputEnded(HttpConnection connection) {
    Watch watch = watches.get(connection);
    if (watch != null) {
      watch.inputEnded = true;
      if (watch.inFlight == 0) {
        closeWhenIdle(connection, watch);
      }
    }
  }

  private static void closeWhenIdle(HttpConnection connection, Watch watch) {
    HalfClosure.closeWhenDone(() -> watch.inFlight == 0, connection::close);
  }

  /** Whether a request on {@code connection} (HTTP/1.x: one at a time) is in progress with its body not yet whole. */
  boolean readingBody(HttpConnection connection) {
    Watch watch = watches.get(connection);
    return watch != null && watch.inFlight > 0 && watch.latest != null && !watch.latest.isEnded();
  }

  /** A request on {@code connection} has been answered (or abandoned). */
  void requestEnded(HttpConnection connection) {
    Watch watch = watches.get(connection);
    if (watch != null && --watch.inFlight == 0) {
      watch.latest = null;
      if (watch.inputEnded) {
        closeWhenIdle(connection, watch);
      }
      watch.idleSinceNanos = System.nanoTime();
      if (watch.timer < 0) {
        arm(connection, watch, headerTimeoutMs); // it fired during a long request
      }
    }
  }

  private void arm(HttpConnection connection, Watch watch, long delayMs) {
    watch.timer = vertx.setTimer(delayMs, id -> {
      watch.timer = -1;
      if (watch.inFlight > 0) {
        return; // armed again when the request ends
      }
      long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - watch.idleSinceNanos);
      if (idleMs >= headerTimeoutMs) {
        headerTimeouts.increment();
        connection.close();
      } else {
        arm(connection, watch, headerTimeoutMs - idleMs);
      }
    });
  }
}
