package dev.vxnet.bridge.tcp;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * The {@code bridge} section: the TCP event-bus bridge.
 *
 * @param host               address to bind (loopback by default: the bridge has no authentication)
 * @param port               port to bind, 0 = any free one
 * @param limits             the bounds of one connection
 * @param maxConnections     bridge connections open at once on this node; 0 = no limit
 * @param idleTimeoutMs      close a connection silent this long, ms; 0 = never
 * @param writeQueueMaxBytes bytes queued to a client before the bridge stops reading its requests
 */
public record BridgeSettings(String host, int port, BridgeLimits limits, int maxConnections, int idleTimeoutMs,
                             int writeQueueMaxBytes) {

  public static final Section<BridgeSettings> SECTION = Section.service("bridge", "127.0.0.1", 7000,
    "TCP event-bus bridge (permitted addresses only; no authentication, so loopback by default).",
    values -> new BridgeSettings(values.text("host"), values.integer("port"),
      new BridgeLimits(values.integer("max_frame_bytes"), values.integer("request_timeout_ms"),
        values.integer("max_registrations"), values.integer("max_pending_requests")),
      values.integer("max_connections"), values.integer("idle_timeout_ms"), values.integer("write_queue_max_bytes")),
    Key.integer("max_frame_bytes", BridgeLimits.DEFAULTS.maxFrameBytes(), 256, 16 << 20,
      "Largest frame a client may send (JSON bytes); a longer one gets a `frame_too_large` error and the connection is closed."),
    Key.integer("request_timeout_ms", BridgeLimits.DEFAULTS.requestTimeoutMs(), 100, 300_000,
      "Send timeout of a client's request; a client may ask for less with the `timeout` header, not for more."),
    Key.integer("max_connections", 1_000, 0, Integer.MAX_VALUE,
      "Bridge connections open at once on this node; beyond it new ones get a `server_full` error and are closed. 0 = no limit."),
    Key.integer("max_registrations", BridgeLimits.DEFAULTS.maxRegistrations(), 1, 10_000, "Addresses one connection may register at once."),
    Key.integer("max_pending_requests", BridgeLimits.DEFAULTS.maxPendingRequests(), 1, 100_000,
      "Requests of one connection in flight; beyond it the bridge stops reading from it until replies come back."),
    Key.integer("idle_timeout_ms", 120_000, 0, Integer.MAX_VALUE,
      "Close a connection with no traffic for this long (clients send `ping` frames to stay connected); 0 = never."),
    Key.integer("write_queue_max_bytes", 1 << 20, 1_024, 64 << 20,
      "Bytes queued to a client before the bridge stops reading its requests; a message for a client that far behind closes it."));
}
