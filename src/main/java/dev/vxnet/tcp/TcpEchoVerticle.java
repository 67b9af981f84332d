package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;

import java.util.concurrent.TimeUnit;

/** TCP echo (RFC 862): every byte back, in order, until the peer closes. */
public final class TcpEchoVerticle extends ConfiguredVerticle<TcpSettings> {

  /** Deployed on its own: its {@code tcp} section is the deployment config. */
  public TcpEchoVerticle() {
    this(null);
  }

  public TcpEchoVerticle(TcpSettings settings) {
    super(TcpSettings.SECTION, settings);
  }

  private NetServer server;

  @Override
  public Future<?> start() {
    TcpSettings settings = settings();
    Counters counters = new Counters("tcp");
    ConnectionLimit limit = ConnectionLimit.shared(vertx, "tcp", settings.maxConnections());
    server = vertx.createNetServer(Listening.serverOptions(settings.host(), settings.port(), settings.tcpNoDelay(),
      settings.idleTimeoutMs()));
    server.connectHandler(new EchoHandler(limit, counters, settings.writeQueueMaxBytes()));
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.listen(vertx, "tcp", server, settings.host(), settings.port()));
  }

  /**
   * The drain: stop accepting, let every connection echo what it has received (each closes once it has been quiet and
   * echoed everything, {@link EchoHandler}), and close what is left at {@code node.shutdown_timeout_ms}.
   */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(Node.drainTimeoutMs(vertx), TimeUnit.MILLISECONDS);
  }
}
