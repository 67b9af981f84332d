package dev.vxnet.chat;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.Abort;
import dev.vxnet.net.ConnectionLimit;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** One chat connection: its nick and room, the commands it types, the lines it receives. */
final class ChatSession {

  static final String HELP = "commands: /nick NAME, /join ROOM, /who, /quit";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final Vertx vertx;
  private final NetSocket socket;
  private final Rooms rooms;
  private final String id;
  private final int whoTimeoutMs;
  private final LongAdder linesIn;
  private final LongAdder linesOut;
  private final LongAdder slowDisconnects;
  private final LongAdder refusedLines;
  private String nick;
  private String room;
  private boolean open = true;

  private ChatSession(Vertx vertx, NetSocket socket, Rooms rooms, Counters counters, String nodeName, String nodeTag,
                      int whoTimeoutMs) {
    this.vertx = vertx;
    this.socket = socket;
    this.rooms = rooms;
    long n = SEQUENCE.incrementAndGet();
    this.id = nodeName + "/" + counters.instance() + "/" + n;
    this.nick = guestNick(nodeTag, n);
    this.whoTimeoutMs = whoTimeoutMs;
    this.linesIn = counters.counter("lines_in");
    this.linesOut = counters.counter("lines_out");
    this.slowDisconnects = counters.counter("slow_disconnects");
    this.refusedLines = counters.counter("refused_lines");
  }

  /**
   * A newcomer's nick: {@code guest-N}, N counting this JVM's connections, and on a cluster node {@code guest-TAG-N}
   * with the node's short tag ({@code Node.shortId}), so that guests of different nodes never share a name.
   */
  static String guestNick(String nodeTag, long n) {
    return "guest-" + (nodeTag.isEmpty() ? "" : nodeTag + "-") + n;
  }

  static void accept(Vertx vertx, NetSocket socket, ConnectionLimit limit, Rooms rooms, Counters counters,
                     String nodeName, String nodeTag, ChatSettings settings) {
    if (!limit.tryAcquire()) {
      counters.counter("refused").increment();
      socket.write("! server full, try again later\n").onComplete(v -> socket.close());
      return;
    }
    LongAdder open = counters.counter("open");
    open.increment();
    counters.counter("total").increment();
    ChatSession session = new ChatSession(vertx, socket, rooms, counters, nodeName, nodeTag, settings.whoTimeoutMs());
    LongAdder overlong = counters.counter("overlong_lines");
    int maxLine = settings.maxLineBytes();
    LineSplitter lines = new LineSplitter(maxLine, session::handleLine, () -> {
      overlong.increment();
      session.deliver("! line too long (max " + maxLine + " bytes), ignored");
    });
    socket.handler(lines::feed);
    socket.exceptionHandler(failure -> socket.close());
    socket.shutdownHandler(v -> {
      session.deliver("* server shutting down, bye");
      socket.end();
    });
    socket.closeHandler(v -> {
      open.decrement();
      limit.release();
      session.closed();
    });
    session.enter(settings.defaultRoom(), () -> session.deliver("* welcome to vxnet chat, you are " + session.nick
      + " in #" + session.room + " (" + counters.instance() + "); " + HELP));
  }

  String id() {
    return id;
  }

  String nick() {
    return nick;
  }

  /** Writes one line to this client; a client that does not read its lines is disconnected, not buffered for. */
  void deliver(String line) {
    if (!open) {
      return;
    }
    if (socket.writeQueueFull()) {
      open = false;
      slowDisconnects.increment();
      Abort.close(socket); // close() would wait to flush a queue this client never reads
      return;
    }
    socket.write(line + "\n");
    linesOut.increment();
  }

  private void handleLine(String line) {
    if (line.isBlank()) {
      return;
    }
    linesIn.increment();
    java.util.Optional<String> control = ChatEvent.controlCharacter(line);
    if (control.isPresent()) {
      refusedLines.increment();
      deliver("! line refused, not sent: " + control.get());
      return;
    }
    if (!line.startsWith("/")) {
      rooms.publish(room, ChatEvent.message(nick, line, id));
      return;
    }
    String[] words = line.trim().split("\\s+", 2);
    String argument = words.length > 1 ? words[1].trim() : "";
    switch (words[0]) {
      case "/nick" -> changeNick(argument);
      case "/join" -> changeRoom(argument);
      case "/who" -> who();
      case "/quit" -> {
        deliver("* bye");
        socket.end();
      }
      case "/help" -> deliver("* " + HELP);
      default -> deliver("! unknown command " + words[0] + "; " + HELP);
    }
  }

  private void changeNick(String newNick) {
    if (!ChatEvent.NICK.matcher(newNick).matches()) {
      deliver("! /nick NAME: NAME must be 1-32 of A-Z a-z 0-9 _ . -");
      return;
    }
    rooms.publish(room, ChatEvent.notice("nick", nick, newNick, id));
    deliver("* you are now " + newNick);
    nick = newNick;
  }

  private void changeRoom(String newRoom) {
    if (!ChatEvent.ROOM.matcher(newRoom).matches()) {
      deliver("! /join ROOM: ROOM must be 1-32 of a-z 0-9 _ -");
      return;
    }
    if (newRoom.equals(room)) {
      deliver("* you are already in #" + room);
      return;
    }
    leaveRoom();
    enter(newRoom, () -> deliver("* you joined #" + newRoom));
  }

  private void enter(String newRoom, Runnable then) {
    room = newRoom;
    rooms.join(newRoom, this).onComplete(registered -> {
      then.run();
      rooms.publish(newRoom, ChatEvent.notice("join", nick, null, id));
    });
  }

  private void leaveRoom() {
    rooms.leave(room, this, ChatEvent.notice("leave", nick, null, id));
  }

  /** Asks every instance and node with members in the room for their nicks, and lists what came back in time. */
  private void who() {
    String whoRoom = room;
    TreeSet<String> nicks = new TreeSet<>();
    MessageConsumer<JsonObject> answers = vertx.eventBus().consumer(ChatEvent.WHO_REPLY_PREFIX + UUID.randomUUID(),
      message -> message.body().getJsonArray("nicks").forEach(n -> nicks.add(String.valueOf(n))));
    answers.completion().onComplete(registered -> {
      rooms.publish(whoRoom, ChatEvent.who(answers.address(), id));
      vertx.setTimer(whoTimeoutMs, t -> {
        answers.unregister();
        deliver("* in #" + whoRoom + " (" + nicks.size() + "): " + String.join(", ", nicks));
      });
    });
  }

  private void closed() {
    open = false;
    leaveRoom();
  }
}
