package dev.vxnet;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.StartupException;
import dev.vxnet.net.ConnectionLimit;

/**
 * Settings of the JVM as a whole rather than of one service: the {@code node} section.
 *
 * @param name              node name in logs and /api/stats, or {@code null} for {@code hostname-pid}
 * @param instances         default instance count of every service, 1-256
 * @param shutdownTimeoutMs how long the drain of a graceful stop may take, ms
 * @param maxConnections    connections of all listeners together, 0 = derived from the open-files limit
 * @param reservedFds       file descriptors kept for everything but accepted connections
 * @param portOffset        added to every port this node listens on (0-10000), already applied to each section's ports
 * @param lameDuckMs        on SIGTERM, how long /ready answers 503 while everything else still serves, before the drain, ms
 * @param transport         the Vert.x transport of the node's event loops: auto, epoll, io_uring or nio ({@link dev.vxnet.net.NodeTransport})
 */
public record NodeSettings(String name, int instances, int shutdownTimeoutMs, int maxConnections, int reservedFds,
                           int portOffset, int lameDuckMs, String transport) {

  public static final Section<NodeSettings> SECTION = Section.of("node", "This JVM (node) as a whole.",
    values -> new NodeSettings(values.text("name"), values.integer("instances"), values.integer("shutdown_timeout_ms"),
      values.integer("max_connections"), values.integer("reserved_fds"), values.integer("port_offset"),
      values.integer("lame_duck_ms"), values.text("transport")),
    Key.text("name", null, "[A-Za-z0-9_.:-]{1,64}", "Node name in logs and /api/stats; unset means `hostname-pid`."),
    Key.integer("instances", 1, 1, 256, "Default `instances` of every service; the launcher's `-instances N` sets it."),
    Key.integer("shutdown_timeout_ms", 10_000, 100, 600_000,
      "On SIGTERM, after the listeners stop accepting: how long in-flight exchanges (TCP echo, HTTP requests) get to "
        + "finish before their connections are closed; docs/limits.md."),
    Key.integer("lame_duck_ms", 2_000, 0, 600_000,
      "On SIGTERM, how long `/ready` answers 503 (so that load balancers take the node out) while every service still "
        + "serves, before the listeners stop accepting and the drain begins. SIGINT (Ctrl-C) skips it."),
    Key.integer("max_connections", 0, 0, Integer.MAX_VALUE,
      "Connections open at once on this node, every listener together; beyond it new ones are closed at once. 0 = the "
        + "open-files limit (`ulimit -n`) less `reserved_fds`; a value above that stops the start. docs/limits.md."),
    Key.integer("reserved_fds", ConnectionLimit.DEFAULT_RESERVED_FDS, 64, 1_000_000,
      "File descriptors kept out of `max_connections` for the JVM, its event loops, DNS and fetch sockets, Hazelcast and "
        + "files being sent."),
    Key.choice("transport", "auto", "The Vert.x transport of the event loops: `auto` (Netty's io_uring where the kernel "
      + "allows it, else native epoll, else the JDK's NIO, with the reason in the start line), `io_uring` (fewer system calls "
      + "per read and write than epoll: faster TCP and HTTPS, docs/benchmarks.md; the UDP echo then reads on an epoll event "
      + "loop of its own, docs/sockets.md), `epoll` or `nio`. A transport named but not available here stops the start.",
      "auto", "epoll", "io_uring", "nio"),
    Key.portOffset("port_offset", 10_000, "Added to every port this node listens on (each service's `port`, "
      + "`cluster.hazelcast_port`, `cluster.port` unless 0), so that a second node on this machine needs this one key: "
      + "`VXNET_NODE_PORT_OFFSET=1`. With `-cluster` on loopback and no `cluster.members`, nodes with offsets 0-9 find each other."));

  /**
   * The node's connection limit on a process whose open-files limit is {@code openFiles}: {@code max_connections},
   * or when 0 the limit less {@code reserved_fds}. An explicit value that leaves fewer than {@code reserved_fds}
   * descriptors is refused with a message naming the key.
   *
   * @throws StartupException naming {@code node.max_connections}
   */
  public int connectionLimit(long openFiles) {
    if (maxConnections == 0) {
      return ConnectionLimit.derivedNodeLimit(openFiles, reservedFds);
    }
    if (maxConnections > openFiles - reservedFds) {
      throw new StartupException("node.max_connections: " + maxConnections + " leaves fewer than node.reserved_fds ("
        + reservedFds + ") of the open-files limit " + openFiles + " (ulimit -n); at most " + Math.max(0, openFiles - reservedFds));
    }
    return maxConnections;
  }
}
