package dev.vxnet.chat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatEventTest {

  private static String problem(Object body) {
    return assertThrows(IllegalArgumentException.class, () -> ChatEvent.parse(body)).getMessage();
  }

  @Test
  void eachBadFieldIsNamed() {
    assertEquals("body: expected a JSON object", problem("hello"));
    assertEquals("type: expected one of [message, join, leave, nick, who]".length(),
      problem(new JsonObject().put("type", "shout")).length());
    assertEquals("nick: expected 1-32 of A-Z a-z 0-9 _ . -", problem(new JsonObject().put("type", "message").put("text", "x")));
    assertEquals("nick: expected a string", problem(new JsonObject().put("type", "message").put("nick", 7)));
    assertEquals("text: required for message", problem(new JsonObject().put("type", "message").put("nick", "bot")));
    assertEquals("text: expected one line of at most 65536 characters",
      problem(new JsonObject().put("type", "message").put("nick", "bot").put("text", "a\nb")));
    assertEquals("replyTo: a who request needs an address starting with vxnet.chat.who.",
      problem(new JsonObject().put("type", "who").put("replyTo", "vxnet.fetch")));
  }

  @Test
  void roundTripAndRendering() {
    ChatEvent event = ChatEvent.parse(ChatEvent.message("bot", "hi", "n/chat#1/1").toJson());
    assertEquals("<bot> hi", event.render("lobby"));
    assertEquals("* bot joined #den", ChatEvent.notice("join", "bot", null, "x").render("den"));
    assertEquals("* bot is now known as robot", ChatEvent.notice("nick", "bot", "robot", "x").render("den"));
  }
}
