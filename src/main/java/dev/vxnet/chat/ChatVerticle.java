package dev.vxnet.chat;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.net.NetServer;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Line-based chat over TCP; rooms live on the event bus, so every instance and node shares them. */
public final class ChatVerticle extends ConfiguredVerticle<ChatSettings> {

  private static final List<String> COUNTERS = List.of("open", "total", "refused", "lines_in", "lines_out",
    "overlong_lines", "refused_lines", "bad_messages", "late_room_messages", "slow_disconnects");

  /** Deployed on its own: its {@code chat} section is the deployment config. */
  public ChatVerticle() {
    this(null);
  }

  public ChatVerticle(ChatSettings settings) {
    super(ChatSettings.SECTION, settings);
  }

  private NetServer server;

  @Override
  public Future<?> start() {
    ChatSettings settings = settings();
    Counters counters = new Counters("chat");
    COUNTERS.forEach(counters::counter); // reported from the start, while still 0
    ConnectionLimit limit = ConnectionLimit.shared(vertx, "chat", settings.maxConnections());
    Rooms rooms = new Rooms(vertx, counters);
    // TCP_NODELAY on: chat lines are small and interactive.
    server = vertx.createNetServer(Listening.serverOptions(settings.host(), settings.port(), true, settings.idleTimeoutMs()));
    String node = Node.name(vertx);
    String nodeTag = Node.shortId(vertx);
    server.connectHandler(socket -> ChatSession.accept(vertx, socket, limit, rooms, counters, node, nodeTag, settings));
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.listen(vertx, "chat", server, settings.host(), settings.port()));
  }

  /** The drain: no new connections; each client is told the server is stopping and its connection ends. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(Node.drainTimeoutMs(vertx), TimeUnit.MILLISECONDS);
  }
}
