package dev.vxnet.fetch.client;

import dev.vxnet.bus.Counters;
import io.vertx.core.http.HttpConnection;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the pool does, seen from its connections: how many were opened and closed, how many are open, and whether a
 * request travels on a connection that already carried another one (reuse). Vert.x exposes no pool statistics
 * without a metrics SPI, so these are counted here from the connect and close events.
 */
final class ConnectionTracker {

  private final Map<HttpConnection, Integer> served = Collections.synchronizedMap(new IdentityHashMap<>());
  private final LongAdder opened;
  private final LongAdder closed;
  private final LongAdder open;
  private final LongAdder reusedRequests;

  ConnectionTracker(Counters counters) {
    opened = counters.counter("connections_opened");
    closed = counters.counter("connections_closed");
    open = counters.counter("connections_open");
    reusedRequests = counters.counter("requests_on_reused_connections");
  }

  /** The client's connect handler. */
  void opened(HttpConnection connection) {
    served.putIfAbsent(connection, 0);
    opened.increment();
    open.increment();
    connection.closeHandler(v -> {
      served.remove(connection);
      closed.increment();
      open.decrement();
    });
  }

  /** Records a request on {@code connection}; true when the connection had carried a request before. */
  boolean use(HttpConnection connection) {
    boolean reused = served.merge(connection, 1, Integer::sum) > 1;
    if (reused) {
      reusedRequests.increment();
    }
    return reused;
  }
}
