package dev.vxnet.net;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open connections of one listener on this node, shared by all its verticle instances so that the limit holds for
 * the node and not per instance, and counted again in the node's own limit: every listener's connections together
 * stay below what the process's open-files limit leaves for them (docs/limits.md has the arithmetic). A limit of 0
 * means no limit of the listener's own; the node's still applies.
 */
public final class ConnectionLimit implements Shareable {

  /** Descriptors kept out of the node limit by default: the JVM's own files, event loops, outgoing sockets, files sent. */
  public static final int DEFAULT_RESERVED_FDS = 2_000;
  private static final String MAP = "vxnet.connection-limits";
  private static final String NODE = "node";

  private final int max;
  private final ConnectionLimit node;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max, ConnectionLimit node) {
    this.max = max;
    this.node = node;
  }

  /** The one limit of {@code service} in this Vert.x instance, within the node's; the first caller's {@code max} applies. */
  public static ConnectionLimit shared(Vertx vertx, String service, int max) {
    ConnectionLimit node = node(vertx);
    return vertx.sharedData().<String, ConnectionLimit>getLocalMap(MAP).computeIfAbsent(service, s -> new ConnectionLimit(max, node));
  }

  /**
   * Sets the node's limit of open connections, all listeners together; call before any service takes its limit
   * (MainVerticle does, from {@code node.max_connections}). Unset, it is {@link #derivedNodeLimit}.
   */
  public static void setNodeLimit(Vertx vertx, int max) {
    ConnectionLimit node = new ConnectionLimit(max, null);
    vertx.sharedData().<String, ConnectionLimit>getLocalMap(MAP).put(NODE, node);
    NodeTransport.gate(vertx).ifPresent(gate -> gate.limit(node));
  }

  /** The node's limit: what {@link #setNodeLimit} set, else {@link #derivedNodeLimit} of the default reserve. */
  public static ConnectionLimit node(Vertx vertx) {
    ConnectionLimit node = vertx.sharedData().<String, ConnectionLimit>getLocalMap(MAP)
      .computeIfAbsent(NODE, s -> new ConnectionLimit(derivedNodeLimit(openFilesLimit(), DEFAULT_RESERVED_FDS), null));
    NodeTransport.gate(vertx).filter(gate -> !gate.hasLimit()).ifPresent(gate -> gate.limit(node));
    return node;
  }

  /**
   * Connections the node may hold at once given the open-files limit {@code openFiles} ({@code ulimit -n}) and
   * {@code reserved} descriptors for everything else: {@code openFiles - reserved}, but at least half of
   * {@code openFiles} when the limit is small. 20,000 and 2,000 give 18,000.
   */
  public static int derivedNodeLimit(long openFiles, int reserved) {
    long limit = Math.max(openFiles - reserved, openFiles / 2);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit));
  }

  /** The process's open-files (soft) limit, {@code ulimit -n}; {@link Integer#MAX_VALUE} where the JVM cannot tell. */
  public static long openFilesLimit() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return Integer.MAX_VALUE;
  }

  /** Takes one connection of this listener and of the node; false (nothing taken) when either is full. */
  public boolean tryAcquire() {
    if (!take()) {
      return false;
    }
    if (node != null && !node.take()) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  private boolean take() {
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

  /** Gives back a connection {@link #tryAcquire()} took. */
  public void release() {
    open.decrementAndGet();
    if (node != null) {
      node.open.decrementAndGet();
    }
  }

  /** Connections of this limit open now. */
  public int open() {
    return open.get();
  }

  /** The most connections at once; 0 for no limit of its own. */
  public int max() {
    return max;
  }
}
