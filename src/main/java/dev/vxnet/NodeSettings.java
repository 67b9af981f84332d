package dev.vxnet;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * Settings of the JVM as a whole rather than of one service: the {@code node} section.
 *
 * @param name              node name in logs and /api/stats, or {@code null} for {@code hostname-pid}
 * @param instances         default instance count of every service, 1-256
 * @param shutdownTimeoutMs how long a graceful stop may take, ms
 * @param portOffset        added to every port this node listens on (0-10000), already applied to each section's ports
 */
public record NodeSettings(String name, int instances, int shutdownTimeoutMs, int portOffset) {

  public static final Section<NodeSettings> SECTION = Section.of("node", "This JVM (node) as a whole.",
    values -> new NodeSettings(values.text("name"), values.integer("instances"), values.integer("shutdown_timeout_ms"),
      values.integer("port_offset")),
    Key.text("name", null, "[A-Za-z0-9_.:-]{1,64}", "Node name in logs and /api/stats; unset means `hostname-pid`."),
    Key.integer("instances", 1, 1, 256, "Default `instances` of every service; the launcher's `-instances N` sets it."),
    Key.integer("shutdown_timeout_ms", 10_000, 100, 600_000,
      "On SIGTERM, how long services get to close connections before the process exits anyway."),
    Key.portOffset("port_offset", 10_000, "Added to every port this node listens on (each service's `port`, "
      + "`cluster.hazelcast_port`, `cluster.port` unless 0), so that a second node on this machine needs this one key: "
      + "`VXNET_NODE_PORT_OFFSET=1`. With `-cluster` on loopback and no `cluster.members`, nodes with offsets 0-9 find each other."));
}
