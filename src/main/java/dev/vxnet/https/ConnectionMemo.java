package dev.vxnet.https;

import io.vertx.core.http.HttpConnection;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * A value worked out once per HTTP connection (say, what its TLS handshake settled), for the routes of one server
 * instance. The key is the connection itself, not the view {@link ScreenedRequest#connection()} hands out: that view
 * is new with each request, so a memo keyed on it never hit (measured: the TLS description of {@code /api/echo} made
 * again on every request, 14 % of the event loop, docs/profiles.md). Weak keys, so an entry goes with its connection.
 * Not thread-safe: used on the instance's event loop only. A {@code null} value is not kept and is worked out again.
 *
 * @param <T> the value kept per connection
 */
final class ConnectionMemo<T> {

  private final Function<HttpConnection, T> compute;
  private final Map<HttpConnection, T> byConnection = new WeakHashMap<>();

  /** {@code compute} is called with the connection itself (never a per-request view), once per connection. */
  ConnectionMemo(Function<HttpConnection, T> compute) {
    this.compute = compute;
  }

  /** The value for the connection behind {@code connection}, a request's view of it or the connection itself. */
  T get(HttpConnection connection) {
    return byConnection.computeIfAbsent(ScreenedRequest.unwrap(connection), compute);
  }
}
