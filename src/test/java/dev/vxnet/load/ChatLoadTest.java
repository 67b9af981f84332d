package dev.vxnet.load;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** vxnet load chat against vxnet's chat: every line reaches every other client of the room, and only of the room. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChatLoadTest {

  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("chat").put("chat", new JsonObject().put("instances", 2).put("port", TestNode.freePort())));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void everyLineReachesEveryOtherClient() throws Exception {
    Loads.Run run = Loads.run("chat", "--port", node.port("chat"), "--connections", 5, "--count", 200, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(200, json.getLong("lines_sent"));
    assertEquals(800, json.getLong("deliveries_expected"));
    assertEquals(800, json.getLong("operations"), run.toString());
    assertEquals(0, json.getLong("lost"));
    assertEquals(0, json.getLong("reordered"));
    assertEquals(0, json.getLong("foreign_lines"));
  }

  @Test
  void clientsInTwoRoomsAtOnceDoNotHearEachOther() throws Exception {
    Loads.Run[] runs = new Loads.Run[2];
    Thread other = new Thread(() -> runs[1] = Loads.run("chat", "--port", node.port("chat"), "--room", "blue",
      "--connections", 3, "--window", 2, "--count", 300, "--json"));
    other.start();
    runs[0] = Loads.run("chat", "--port", node.port("chat"), "--room", "green", "--connections", 4, "--window", 2,
      "--count", 300, "--json");
    other.join();
    assertEquals(0, runs[0].status(), runs[0].toString());
    assertEquals(0, runs[1].status(), runs[1].toString());
    assertEquals(900, runs[0].count("operations"));
    assertEquals(600, runs[1].count("operations"));
    assertEquals(0, runs[0].count("foreign_lines"), "no line of the blue room reached the green one");
    assertEquals(0, runs[1].count("foreign_lines"));
  }
}
