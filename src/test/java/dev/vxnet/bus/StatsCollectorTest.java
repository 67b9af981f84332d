package dev.vxnet.bus;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsCollectorTest {

  private static JsonObject request(TestNode node, Object body) throws Exception {
    return node.vertx.eventBus().<JsonObject>request(Addresses.STATS, body)
      .await(10, TimeUnit.SECONDS).body();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyInstanceAnswersAndCountersAddUp() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("tcp", "udp").put("tcp", new JsonObject().put("instances", 3)))) {
      for (int i = 0; i < 4; i++) {
        try (Socket socket = new Socket("127.0.0.1", node.port("tcp"))) {
          socket.getOutputStream().write('a');
          assertEquals('a', socket.getInputStream().read());
        }
      }
      JsonObject stats = request(node, null);
      assertTrue(stats.getBoolean("complete"), stats.encodePrettily());
      assertEquals(1, stats.getInteger("nodes_answered"));
      JsonObject tcp = stats.getJsonArray("nodes").getJsonObject(0).getJsonObject("services").getJsonObject("tcp");
      assertEquals("ok", tcp.getString("status"));
      assertEquals(3, tcp.getInteger("instances_answered"));
      assertEquals(4L, stats.getJsonObject("totals").getJsonObject("tcp").getJsonObject("counters").getLong("total"));
      assertTrue(stats.getLong("elapsed_ms") < 1_000, "finished when all had answered, not at the timeout");
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void silentNodesAndInstancesAreReportedNotHidden() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("udp"))) {
      // A second node that sends its manifest (one tcp instance) but whose tcp instance never answers,
      // and a third node, expected, that never answers at all.
      node.vertx.eventBus().<JsonObject>consumer(Addresses.STATS_COLLECT, message -> node.vertx.eventBus().send(
          message.body().getString("replyTo"), new JsonObject().put("node", "ghost").put("manifest", new JsonObject().put("tcp", 1))))
        .completion().await(5, TimeUnit.SECONDS);
      JsonObject stats = StatsCollector.collect(node.vertx, 300, 3).await(10, TimeUnit.SECONDS);
      assertEquals(false, stats.getBoolean("complete"));
      assertEquals(2, stats.getInteger("nodes_answered"));
      String problems = stats.getJsonArray("problems").encode();
      assertTrue(problems.contains("node ghost: tcp: 1 of 1 instances did not answer within 300 ms"), problems);
      assertTrue(problems.contains("1 of 3 nodes did not answer within 300 ms"), problems);
      JsonObject ghost = stats.getJsonArray("nodes").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("node").equals("ghost")).findFirst().orElseThrow();
      assertEquals("timeout", ghost.getJsonObject("services").getJsonObject("tcp").getString("status"));
      assertTrue(stats.getLong("elapsed_ms") >= 300);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void badRequestsAreNamed() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("udp"))) {
      assertEquals("timeout_ms: expected an integer from 10 to 10000",
        request(node, new JsonObject().put("timeout_ms", "soon")).getJsonObject("error").getString("message"));
      assertEquals("BAD_REQUEST", request(node, "stats please").getJsonObject("error").getString("code"));
    }
  }
}
