package dev.vxnet.tcp;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * The {@code tcp} section.
 *
 * @param host               address to bind
 * @param port               port to bind, 0 = any free one
 * @param idleTimeoutMs      close a connection silent this long, ms; 0 = never
 * @param maxConnections     connections open at once on this node; 0 = no limit
 * @param tcpNoDelay         TCP_NODELAY on accepted sockets
 * @param writeQueueMaxBytes bytes queued to a client before reading from it pauses
 */
public record TcpSettings(String host, int port, int idleTimeoutMs, int maxConnections, boolean tcpNoDelay,
                          int writeQueueMaxBytes) {

  public static final Section<TcpSettings> SECTION = Section.service("tcp", 8888, "TCP echo (RFC 862).",
    values -> new TcpSettings(values.text("host"), values.integer("port"), values.integer("idle_timeout_ms"),
      values.integer("max_connections"), values.flag("tcp_no_delay"), values.integer("write_queue_max_bytes")),
    Key.integer("idle_timeout_ms", 300_000, 0, Integer.MAX_VALUE, "Close a connection with no traffic for this long; 0 = never."),
    Key.integer("max_connections", 10_000, 0, Integer.MAX_VALUE,
      "Connections open at once on this node; beyond it new ones are closed at once and counted as `refused`. 0 = no limit."),
    Key.flag("tcp_no_delay", true, "Set TCP_NODELAY (no Nagle delay) on accepted sockets."),
    Key.integer("write_queue_max_bytes", 65_536, 1_024, 64 << 20,
      "Bytes queued to a client before the server stops reading from it (backpressure)."));
}
