package dev.vxnet.chat;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.impl.MessageConsumerImpl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The rooms that this verticle instance's connections are in: one event-bus consumer per room with local
 * members, removed when the last one leaves. Events published to the room reach every member except the
 * connection that sent them.
 */
final class Rooms {

  private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

  private final Vertx vertx;
  private final Map<String, Room> rooms = new HashMap<>();
  private final LongAdder badMessages;
  private final LongAdder lateMessages;

  Rooms(Vertx vertx, Counters counters) {
    this.vertx = vertx;
    this.badMessages = counters.counter("bad_messages");
    this.lateMessages = counters.counter("late_room_messages");
    counters.detail("rooms", this::membersByRoom);
  }

  /** {@code {"lobby": 2}}: each room with members on this instance, and how many. */
  private JsonObject membersByRoom() {
    JsonObject members = new JsonObject();
    new TreeMap<>(rooms).forEach((name, room) -> members.put(name, room.members.size()));
    return members;
  }

  /** Completes once the room's consumer is registered (cluster-wide when clustered). */
  Future<Void> join(String name, ChatSession member) {
    Room room = rooms.computeIfAbsent(name, this::open);
    room.members.add(member);
    return room.consumer.completion();
  }

  /**
   * Takes {@code member} out of the room and tells the others with {@code farewell}. The last member's farewell is
   * published once the room's consumer is unregistered: published before, it would still reach that consumer, which
   * Vert.x then discards with a warning per disconnect.
   */
  void leave(String name, ChatSession member, ChatEvent farewell) {
    Room room = rooms.get(name);
    if (room == null || !room.members.remove(member)) {
      return;
    }
    if (room.members.isEmpty()) {
      rooms.remove(name);
      room.consumer.unregister().onComplete(unregistered -> publish(name, farewell));
    } else {
      publish(name, farewell);
    }
  }

  void publish(String room, ChatEvent event) {
    vertx.eventBus().publish(Addresses.chatRoom(room), event.toJson());
  }

  private Room open(String name) {
    Room room = new Room();
    room.consumer = vertx.eventBus().consumer(Addresses.chatRoom(name), message -> {
      ChatEvent event;
      try {
        event = ChatEvent.parse(message.body());
      } catch (IllegalArgumentException invalid) {
        badMessages.increment();
        LOG.debug("ignored message on " + Addresses.chatRoom(name) + ": " + invalid.getMessage());
        return;
      }
      if (event.type().equals("who")) {
        JsonArray nicks = new JsonArray();
        room.members.forEach(member -> nicks.add(member.nick()));
        vertx.eventBus().send(event.replyTo(), new JsonObject().put("nicks", nicks));
        return;
      }
      String line = event.render(name);
      for (ChatSession member : Set.copyOf(room.members)) {
        if (!member.id().equals(event.from())) {
          member.deliver(line);
        }
      }
    });
    countLateMessages(room.consumer);
    return room;
  }

  /**
   * Messages that reach the room's consumer after its last member here left (its own last lines and notices, still
   * on their way back to it) are for nobody: counted as {@code late_room_messages} instead of Vert.x's warning per
   * message. Vert.x offers the discard handler on its consumer implementation only.
   */
  private void countLateMessages(MessageConsumer<Object> consumer) {
    if (consumer instanceof MessageConsumerImpl<Object> impl) {
      impl.discardHandler(late -> lateMessages.increment());
    }
  }

  private static final class Room {
    MessageConsumer<Object> consumer;
    final Set<ChatSession> members = new LinkedHashSet<>();
  }
}
