package dev.vxnet;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/** Settings of the JVM as a whole rather than of one service. */
public final class NodeConfig {

  public static final Section SECTION = Section.of("node", "This JVM (node) as a whole.",
    Key.text("name", null, "[A-Za-z0-9_.:-]{1,64}", "Node name in logs and /api/stats; unset means `hostname-pid`."),
    Key.integer("instances", 1, 1, 256, "Default `instances` of every service; the launcher's `-instances N` sets it."),
    Key.integer("shutdown_timeout_ms", 10_000, 100, 600_000,
      "On SIGTERM, how long services get to close connections before the process exits anyway."));

  private NodeConfig() {
  }
}
