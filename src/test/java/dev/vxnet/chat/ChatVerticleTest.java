package dev.vxnet.chat;

import dev.vxnet.bus.Addresses;
import dev.vxnet.support.Await;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatVerticleTest {

  private static final Pattern WELCOME = Pattern.compile("\\* welcome to vxnet chat, you are (\\S+) in #(\\S+) \\((chat#\\d+)\\);.*");
  private TestNode node;
  private final List<LineClient> clients = new ArrayList<>();

  private void start(JsonObject chat) throws Exception {
    node = TestNode.start(TestNode.only("chat").put("chat", chat));
  }

  @AfterEach
  void stop() throws Exception {
    for (LineClient client : clients) {
      client.close();
    }
    if (node != null) {
      node.close();
    }
  }

  /** A connected client and its welcome: group 1 nick, 2 room, 3 verticle instance. */
  private Matcher connect(LineClient[] into, int index) throws Exception {
    LineClient client = new LineClient(node.port("chat"));
    clients.add(client);
    into[index] = client;
    Matcher welcome = WELCOME.matcher(client.expectStartingWith("* welcome"));
    assertTrue(welcome.matches(), client.seen().toString());
    return welcome;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aLineReachesAClientOfAnotherInstanceButNotItsSender() throws Exception {
    start(new JsonObject().put("instances", 2).put("port", TestNode.freePort()));
    LineClient[] c = new LineClient[8];
    Matcher first = connect(c, 0);
    int other = -1;
    for (int i = 1; i < c.length && other < 0; i++) {
      if (!connect(c, i).group(3).equals(first.group(3))) {
        other = i;
      }
    }
    assertTrue(other > 0, "connections spread over both instances");
    LineClient a = c[0];
    LineClient b = c[other];
    a.send("hello from a");
    assertEquals("<" + first.group(1) + "> hello from a", b.expectStartingWith("<"));
    b.send("hello from b");
    assertEquals("hello from b", a.expectStartingWith("<").replaceFirst("^<[^>]+> ", ""),
      "a's first chat line is b's: its own line was not sent back to it");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void commandsNickJoinWhoQuit() throws Exception {
    start(new JsonObject());
    LineClient[] c = new LineClient[2];
    Matcher aWelcome = connect(c, 0);
    Matcher bWelcome = connect(c, 1);
    LineClient a = c[0];
    LineClient b = c[1];
    assertEquals("lobby", aWelcome.group(2));
    a.expect(line -> line.equals("* " + bWelcome.group(1) + " joined #lobby"), "announcing b");

    a.send("/nick alice");
    a.expect(line -> line.equals("* you are now alice"), "confirming the nick");
    b.expect(line -> line.equals("* " + aWelcome.group(1) + " is now known as alice"), "announcing the nick");

    a.send("/who");
    a.expect(line -> line.equals("* in #lobby (2): alice, " + bWelcome.group(1)), "listing both, sorted");

    a.send("/join den");
    a.expect(line -> line.equals("* you joined #den"), "confirming the room");
    b.expect(line -> line.equals("* alice left #lobby"), "announcing the leave");
    b.send("anyone?");
    a.send("/who");
    a.expect(line -> line.equals("* in #den (1): alice"), "listing only alice in #den");
    assertTrue(a.seen().stream().noneMatch(line -> line.contains("anyone?")), "#den does not hear #lobby");

    a.send("/nick bad nick!");
    a.expectStartingWith("! /nick NAME:");
    a.send("/dance");
    a.expectStartingWith("! unknown command /dance");
    a.send("/quit");
    a.expect(line -> line.equals("* bye"), "saying bye");
    assertNull(a.next(), "closed after /quit");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anOverlongLineIsRefusedAndTheConnectionGoesOn() throws Exception {
    start(new JsonObject().put("max_line_bytes", 32));
    LineClient[] c = new LineClient[2];
    connect(c, 0);
    connect(c, 1);
    c[0].send("x".repeat(33));
    c[0].expect(line -> line.equals("! line too long (max 32 bytes), ignored"), "refusing the line");
    c[0].send("y".repeat(32));
    assertTrue(c[1].expectStartingWith("<").endsWith("> " + "y".repeat(32)));
    assertTrue(c[1].seen().stream().noneMatch(line -> line.contains("xxx")));
    assertEquals(1L, node.counters("chat").getLong("overlong_lines"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void eventBusMessagesAreCheckedBeforeReachingClients() throws Exception {
    start(new JsonObject());
    LineClient[] c = new LineClient[1];
    connect(c, 0);
    node.vertx.eventBus().publish(Addresses.chatRoom("lobby"), new JsonObject().put("type", "message").put("text", "no nick"));
    node.vertx.eventBus().publish(Addresses.chatRoom("lobby"), "not json");
    node.vertx.eventBus().publish(Addresses.chatRoom("lobby"), new JsonObject().put("type", "message").put("nick", "bot").put("text", "hi"));
    assertEquals("<bot> hi", c[0].expectStartingWith("<"));
    Await.until("two bad messages counted", Duration.ofSeconds(5), () -> counter("bad_messages") == 2);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void beyondMaxConnectionsANewClientIsToldAndClosed() throws Exception {
    start(new JsonObject().put("max_connections", 1));
    LineClient[] c = new LineClient[1];
    connect(c, 0);
    try (LineClient refused = new LineClient(node.port("chat"))) {
      assertEquals("! server full, try again later", refused.next());
      assertNull(refused.next());
    }
    assertNotEquals(0L, counter("refused"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aClientThatStopsReadingIsDisconnectedNotBufferedFor() throws Exception {
    start(new JsonObject());
    try (java.net.Socket slow = new java.net.Socket()) {
      slow.setReceiveBufferSize(4_096);
      slow.connect(new java.net.InetSocketAddress("127.0.0.1", node.port("chat")), 5_000);
      Await.until("the client in the room", Duration.ofSeconds(10), () -> counter("open") == 1);
      JsonObject line = new JsonObject().put("type", "message").put("nick", "flood").put("text", "z".repeat(1_000));
      // Bounded rounds of 1000 lines until the server gives up on the client that never reads.
      for (int round = 1; round <= 200 && counter("slow_disconnects") < 1; round++) {
        for (int i = 0; i < 1_000; i++) {
          node.vertx.eventBus().publish(Addresses.chatRoom("lobby"), line);
        }
        long delivered = round * 1_000L;
        Await.until("round " + round + " handled", Duration.ofSeconds(20),
          () -> counter("lines_out") >= delivered || counter("slow_disconnects") >= 1);
      }
      Await.until("the slow client disconnected", Duration.ofSeconds(20), () -> counter("slow_disconnects") == 1);
      Await.until("its connection closed", Duration.ofSeconds(10), () -> counter("open") == 0);
      assertTrue(counter("lines_out") < 200_000, "the server stopped writing to it");
    }
  }

  private long counter(String name) {
    try {
      return node.counters("chat").getLong(name);
    } catch (Exception e) {
      return -1;
    }
  }
}
