package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;


/**
 * The TCP event-bus bridge: Vert.x's wire protocol (4-byte length + JSON), served by {@link BridgeSession}
 * with a frame size limit and the fixed {@link Permissions}. Bound to loopback by default: it has no
 * authentication and reaches the fetcher, which fetches any URL it is given.
 */
public final class BridgeVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("bridge", "127.0.0.1", 7000,
    "TCP event-bus bridge (permitted addresses only; no authentication, so loopback by default).",
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

  private NetServer server;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    BridgeCounters counters = new BridgeCounters();
    BridgeLimits limits = BridgeLimits.from(config);
    ConnectionLimit connections = ConnectionLimit.shared(vertx, "bridge", config.getInteger("max_connections"));
    int writeQueueMaxBytes = config.getInteger("write_queue_max_bytes");
    server = vertx.createNetServer(Listening.serverOptions(config));
    server.connectHandler(socket -> {
      socket.setWriteQueueMaxSize(writeQueueMaxBytes);
      BridgeSession.accept(vertx, socket, limits, connections, counters);
    });
    return StatsReporter.register(vertx, counters.all)
      .compose(v -> Listening.listen(vertx, "bridge", server, config));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
