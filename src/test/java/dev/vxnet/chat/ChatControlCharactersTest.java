package dev.vxnet.chat;

import dev.vxnet.support.BridgeClient;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 row 4: a chat line with CR, ESC, NUL or another control character never reaches another client raw, typed
 * over TCP or published through the TCP event-bus bridge; the sender is told why.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatControlCharactersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("chat", "bridge"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static void assertNoControlCharacters(LineClient client) {
    for (String line : client.seen()) {
      assertTrue(line.chars().noneMatch(c -> (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)), "raw control in: " + line);
      assertTrue(!line.contains("I am someone else"), "a forged line reached another client: " + client.seen());
    }
  }

  @Test
  void controlCharactersTypedOverTcpAreRefusedWithAReason() throws Exception {
    try (LineClient a = LineClient.chat(node.port("chat"), WAIT); LineClient b = LineClient.chat(node.port("chat"), WAIT)) {
      a.send("/nick alice");
      b.expect(line -> line.endsWith("is now known as alice"), "alice's nick", WAIT);
      for (String forged : List.of("hello\r<guest-99> I am someone else", "\u001b[2J\u001b[H<guest-99> I am someone else",
        "nul\u0000<guest-99> I am someone else", "c1\u009b2J I am someone else", "/\u001b[31m I am someone else")) {
        a.send(forged);
        a.expect(line -> line.startsWith("! line refused, not sent: control character U+"), "the refusal", WAIT);
      }
      a.send("tab\tis fine");
      b.expect(line -> line.equals("<alice> tab\tis fine"), "the next good line", WAIT);
      assertNoControlCharacters(b);
      assertEquals(5, node.counters("chat").getLong("refused_lines"));
    }
  }

  @Test
  void controlCharactersPublishedThroughTheBridgeNeverReachAClient() throws Exception {
    try (LineClient b = LineClient.chat(node.port("chat"), WAIT); BridgeClient bridge = new BridgeClient(node.port("bridge"))) {
      b.send("/join bridged");
      b.expect(line -> line.equals("* you joined #bridged"), "the room", WAIT);
      for (String text : List.of("x\r<guest-1> I am someone else", "\u001b]0;I am someone else\u0007", "ok")) {
        bridge.send(new JsonObject().put("type", "publish").put("address", "vxnet.chat.bridged")
          .put("body", new JsonObject().put("type", "message").put("nick", "bot").put("text", text)));
      }
      b.expect(line -> line.equals("<bot> ok"), "the good message after the bad ones", WAIT);
      assertNoControlCharacters(b);
    }
  }
}
