package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;

/** TCP echo (RFC 862): every byte back, in order, until the peer closes. */
public final class TcpEchoVerticle extends ConfiguredVerticle<TcpSettings> {

  /** Deployed on its own: its {@code tcp} section is the deployment config. */
  public TcpEchoVerticle() {
    this(null);
  }

  public TcpEchoVerticle(TcpSettings settings) {
    super(TcpSettings.SECTION, settings);
  }

  @Override
  public Future<?> start() {
    TcpSettings settings = settings();
    Counters counters = new Counters("tcp");
    ConnectionLimit limit = ConnectionLimit.shared(vertx, "tcp", settings.maxConnections());
    NetServer server = vertx.createNetServer(Listening.serverOptions(settings.host(), settings.port(), settings.tcpNoDelay(),
      settings.idleTimeoutMs()));
    server.connectHandler(new EchoHandler(limit, counters, settings.writeQueueMaxBytes()));
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.listen(vertx, "tcp", server, settings.host(), settings.port()));
  }
}
