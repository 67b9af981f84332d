package dev.vxnet.chat;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;

import java.util.List;


/** Line-based chat over TCP; rooms live on the event bus, so every instance and node shares them. */
public final class ChatVerticle extends VerticleBase {

  public static final Section CONFIG = Section.service("chat", 8000, "TCP line chat with rooms.",
    Key.integer("max_connections", 10_000, 0, Integer.MAX_VALUE,
      "Chat connections open at once on this node; beyond it new ones are closed at once. 0 = no limit."),
    Key.integer("max_line_bytes", 1_024, 16, 65_536, "Longest line accepted; a longer one is refused with an error line."),
    Key.text("default_room", "lobby", ChatEvent.ROOM.pattern(), "Room a new connection starts in."),
    Key.integer("idle_timeout_ms", 0, 0, Integer.MAX_VALUE, "Close a connection silent for this long; 0 = never."),
    Key.integer("who_timeout_ms", 200, 10, 10_000, "How long `/who` waits for the other instances and nodes to answer."));

  private static final List<String> COUNTERS = List.of("open", "total", "refused", "lines_in", "lines_out",
    "overlong_lines", "bad_messages", "slow_disconnects");

  private NetServer server;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    Counters counters = new Counters("chat");
    COUNTERS.forEach(counters::counter); // reported from the start, while still 0
    ConnectionLimit limit = ConnectionLimit.shared(vertx, "chat", config.getInteger("max_connections"));
    Rooms rooms = new Rooms(vertx, counters);
    server = vertx.createNetServer(Listening.serverOptions(config));
    String node = Node.name(vertx);
    server.connectHandler(socket -> ChatSession.accept(vertx, socket, limit, rooms, counters, node, config));
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.listen(vertx, "chat", server, config));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
