package dev.vxnet.https;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.TlsAcceptGate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;
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

  private static final class Watch {
    int inFlight;
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
    arm(connection, watch);
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

  /** A request's headers have arrived on {@code connection}. */
  void requestStarted(HttpConnection connection) {
    Watch watch = watches.get(connection);
    if (watch != null) {
      watch.inFlight++;
      vertx.cancelTimer(watch.timer);
    }
  }

  /** A request on {@code connection} has been answered (or abandoned). */
  void requestEnded(HttpConnection connection) {
    Watch watch = watches.get(connection);
    if (watch != null && --watch.inFlight == 0) {
      arm(connection, watch);
    }
  }

  private void arm(HttpConnection connection, Watch watch) {
    watch.timer = vertx.setTimer(headerTimeoutMs, id -> {
      headerTimeouts.increment();
      connection.close();
    });
  }
}
