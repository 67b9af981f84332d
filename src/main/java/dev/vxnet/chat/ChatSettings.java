package dev.vxnet.chat;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * The {@code chat} section.
 *
 * @param host           address to bind
 * @param port           port to bind, 0 = any free one
 * @param maxConnections chat connections open at once on this node; 0 = no limit
 * @param maxLineBytes   longest line accepted, bytes
 * @param defaultRoom    room a new connection starts in
 * @param idleTimeoutMs  close a silent connection after this long, ms; 0 = never
 * @param whoTimeoutMs   how long {@code /who} waits for other instances and nodes, ms
 */
public record ChatSettings(String host, int port, int maxConnections, int maxLineBytes, String defaultRoom, int idleTimeoutMs,
                           int whoTimeoutMs) {

  public static final Section<ChatSettings> SECTION = Section.service("chat", 8000, "TCP line chat with rooms.",
    values -> new ChatSettings(values.text("host"), values.integer("port"), values.integer("max_connections"),
      values.integer("max_line_bytes"), values.text("default_room"), values.integer("idle_timeout_ms"),
      values.integer("who_timeout_ms")),
    Key.integer("max_connections", 10_000, 0, Integer.MAX_VALUE,
      "Chat connections open at once on this node; beyond it new ones are closed at once. 0 = no limit."),
    Key.integer("max_line_bytes", 1_024, 16, 65_536, "Longest line accepted; a longer one is refused with an error line."),
    Key.text("default_room", "lobby", ChatEvent.ROOM.pattern(), "Room a new connection starts in."),
    Key.integer("idle_timeout_ms", 0, 0, Integer.MAX_VALUE, "Close a connection silent for this long; 0 = never."),
    Key.integer("who_timeout_ms", 200, 10, 10_000, "How long `/who` waits for the other instances and nodes to answer."));
}
