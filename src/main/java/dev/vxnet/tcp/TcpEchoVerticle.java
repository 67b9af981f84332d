package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;


/** TCP echo (RFC 862): every byte back, in order, until the peer closes. */
public final class TcpEchoVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("tcp", 8888, "TCP echo (RFC 862).",
    Key.integer("idle_timeout_ms", 300_000, 0, Integer.MAX_VALUE, "Close a connection with no traffic for this long; 0 = never."),
    Key.integer("max_connections", 10_000, 0, Integer.MAX_VALUE,
      "Connections open at once on this node; beyond it new ones are closed at once and counted as `refused`. 0 = no limit."),
    Key.flag("tcp_no_delay", true, "Set TCP_NODELAY (no Nagle delay) on accepted sockets."),
    Key.integer("write_queue_max_bytes", 65_536, 1_024, 64 << 20,
      "Bytes queued to a client before the server stops reading from it (backpressure)."));

  private NetServer server;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    Counters counters = new Counters("tcp");
    ConnectionLimit limit = ConnectionLimit.shared(vertx, "tcp", config.getInteger("max_connections"));
    server = vertx.createNetServer(Listening.serverOptions(config));
    server.connectHandler(new EchoHandler(limit, counters, config.getInteger("write_queue_max_bytes")));
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.listen(vertx, "tcp", server, config));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
