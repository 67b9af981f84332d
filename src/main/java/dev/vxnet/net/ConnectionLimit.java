package dev.vxnet.net;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections of one service on this node, shared by all its verticle instances so that the limit
 * holds for the node and not per instance. A limit of 0 means no limit.
 */
public final class ConnectionLimit implements Shareable {

  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max) {
    this.max = max;
  }

  /** The one limit of {@code service} in this Vert.x instance; the first caller's {@code max} applies. */
  public static ConnectionLimit shared(Vertx vertx, String service, int max) {
    return vertx.sharedData().<String, ConnectionLimit>getLocalMap("vxnet.connection-limits")
      .computeIfAbsent(service, s -> new ConnectionLimit(max));
  }

  public boolean tryAcquire() {
    while (true) {
      int now = open.get();
      if (max > 0 && now >= max) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void release() {
    open.decrementAndGet();
  }

  public int open() {
    return open.get();
  }
}
