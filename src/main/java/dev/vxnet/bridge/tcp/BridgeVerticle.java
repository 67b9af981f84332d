package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;

import java.util.concurrent.TimeUnit;

/**
 * The TCP event-bus bridge: Vert.x's wire protocol (4-byte length + JSON), served by {@link BridgeSession}
 * with a frame size limit and the fixed {@link Permissions}. Bound to loopback by default: it has no
 * authentication and reaches the fetcher, which fetches any URL it is given.
 */
public final class BridgeVerticle extends ConfiguredVerticle<BridgeSettings> {

  /** Deployed on its own: its {@code bridge} section is the deployment config. */
  public BridgeVerticle() {
    this(null);
  }

  public BridgeVerticle(BridgeSettings settings) {
    super(BridgeSettings.SECTION, settings);
  }

  private NetServer server;

  @Override
  public Future<?> start() {
    BridgeSettings settings = settings();
    BridgeCounters counters = new BridgeCounters();
    ConnectionLimit connections = ConnectionLimit.shared(vertx, "bridge", settings.maxConnections());
    server = vertx.createNetServer(Listening.serverOptions(settings.host(), settings.port(), true, settings.idleTimeoutMs()));
    server.connectHandler(socket -> {
      socket.setWriteQueueMaxSize(settings.writeQueueMaxBytes());
      BridgeSession.accept(vertx, socket, settings.limits(), connections, counters);
    });
    return StatsReporter.register(vertx, counters.all)
      .compose(v -> Listening.listen(vertx, "bridge", server, settings.host(), settings.port()));
  }

  /** The drain: no new connections; replies already on their way are written, then each connection closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(Node.drainTimeoutMs(vertx), TimeUnit.MILLISECONDS);
  }
}
