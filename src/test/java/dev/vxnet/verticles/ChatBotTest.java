package dev.vxnet.verticles;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Groovy chat bot (verticles/groovy/chat_bot.groovy) in a room of the real chat service: a person connected over TCP
 * asks, the bot answers over the event bus, through the real resolver, and hears the prober's results.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatBotTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private static JsonObject bot(JsonObject config) {
    return new JsonObject().put("name", "verticles/groovy/chat_bot.groovy").put("service", "chatbot").put("config", config);
  }

  @Test
  void answersCommandsInTheRoom() throws Exception {
    Vertx peers = Vertx.vertx();
    try {
      TestDnsServer dns = TestDnsServer.start(peers, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
      int echo = TestNode.freePort();
      try (TestNode node = TestNode.start(TestNode.only("chat", "dns", "tcp")
        .put("tcp", new JsonObject().put("port", echo))
        .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())))
        .put("verticles", new JsonArray()
          .add(bot(new JsonObject().put("nick", "helper").put("rooms", new JsonArray().add("lobby").add("ops"))))
          .add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle").put("config", new JsonObject()
            .put("targets", new JsonArray().add("tcp://127.0.0.1:" + echo)).put("interval_ms", 200)))));
           LineClient person = LineClient.chat(node.port("chat"), WAIT)) {
        person.send("!time");
        String time = person.expectStartingWith("<helper> time: ", WAIT);
        assertTrue(Duration.between(Instant.parse(time.substring("<helper> time: ".length())), Instant.now()).abs().toSeconds() < 60);
        person.send("!resolve www.vxnet.test");
        assertEquals("<helper> www.vxnet.test A: NOERROR " + TestZone.WWW_V4 + " " + TestZone.WWW_V4_SECOND,
          person.expectStartingWith("<helper> www.vxnet.test", WAIT));
        person.send("!resolve www.vxnet.test nonsense");
        assertTrue(person.expectStartingWith("<helper> www.vxnet.test NONSENSE: BAD_REQUEST ", WAIT).contains("type"));
        person.send("!frobnicate");
        assertEquals("<helper> unknown command !frobnicate (commands: !time, !resolve name [type], !probes, !help)",
          person.expectStartingWith("<helper> unknown", WAIT));
        person.send("!probes");
        String probes = person.expectStartingWith("<helper> probes: ", WAIT);
        assertTrue(probes.startsWith("<helper> probes: tcp://127.0.0.1:" + echo + " ok "), probes);
        person.send("/join ops");
        person.expectStartingWith("* ", WAIT);
        person.send("!help");
        assertEquals("<helper> commands: !time, !resolve name [type], !probes, !help", person.expectStartingWith("<helper>", WAIT));
        person.send("plain chat, no command");
        person.send("!time");
        person.expectStartingWith("<helper> time: ", WAIT); // the plain line got no answer before it

        JsonObject counters = node.counters("chatbot");
        assertEquals(7L, counters.getLong("commands"), counters.encode());
        assertEquals(7L, counters.getLong("answers"), counters.encode());
        assertEquals(2L, counters.getLong("errors"), counters.encode());
      }
    } finally {
      peers.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void moreThanOneInstanceOrABadRoomIsRefused() {
    Exception twice = assertThrows(Exception.class, () -> TestNode.start(TestNode.only("chat").put("verticles",
      new JsonArray().add(bot(new JsonObject()).put("instances", 2)))));
    assertEquals("verticles[0] (verticles/groovy/chat_bot.groovy): instances: expected 1 (each instance answers every command), got 2",
      twice.getMessage());
    Exception room = assertThrows(Exception.class, () -> TestNode.start(TestNode.only("chat").put("verticles",
      new JsonArray().add(bot(new JsonObject().put("rooms", new JsonArray().add("Lobby!")))))));
    assertEquals("verticles[0] (verticles/groovy/chat_bot.groovy): config.rooms: \"Lobby!\" is not a room name (1-32 of a-z 0-9 _ -)",
      room.getMessage());
  }
}
