package dev.vxnet.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which nodes the dashboard shows, and which of them as gone, from successive gathers. */
class NodeRosterTest {

  private final NodeRoster roster = new NodeRoster();

  /** A gather's document as StatsCollector makes it: the nodes that answered, how many the cluster counts. */
  private static JsonObject gathered(int expected, String... answered) {
    JsonArray nodes = new JsonArray();
    for (String node : answered) {
      nodes.add(new JsonObject().put("node", node).put("services", new JsonObject()));
    }
    return new JsonObject().put("nodes_expected", expected).put("nodes_answered", answered.length).put("nodes", nodes);
  }

  private static JsonObject entry(JsonArray roster, String node) {
    return roster.stream().map(JsonObject.class::cast).filter(e -> e.getString("node").equals(node)).findFirst().orElseThrow();
  }

  @Test
  void aNodeThatLeftTheClusterIsGoneSinceTheFirstGatherWithoutIt() {
    roster.update(gathered(2, "edge", "worker"), 1_000);
    roster.update(gathered(2, "edge", "worker"), 2_000);
    JsonArray after = roster.update(gathered(1, "edge"), 3_000);
    assertEquals(2, after.size(), "the gone node stays on the page: " + after.encode());
    JsonObject worker = entry(after, "worker");
    assertEquals("gone", worker.getString("state"));
    assertEquals(3_000, worker.getLong("since_ms"));
    assertEquals(2_000, worker.getLong("last_seen_ms"));
    assertEquals(NodeRoster.LEFT, worker.getString("reason"));
    assertEquals("up", entry(after, "edge").getString("state"));
    assertEquals(1_000, entry(after, "edge").getLong("since_ms"));

    JsonArray later = roster.update(gathered(1, "edge"), 4_000);
    assertEquals(3_000, entry(later, "worker").getLong("since_ms"), "gone since the first gather it missed");
  }

  @Test
  void aSilentMemberIsGoneWithItsOwnReason() {
    roster.update(gathered(2, "edge", "worker"), 1_000);
    JsonObject worker = entry(roster.update(gathered(2, "edge"), 2_000), "worker");
    assertEquals("gone", worker.getString("state"));
    assertEquals(NodeRoster.SILENT, worker.getString("reason"));
  }

  @Test
  void aNodeThatAnswersAgainIsUpAgainFromThen() {
    roster.update(gathered(2, "edge", "worker"), 1_000);
    roster.update(gathered(1, "edge"), 2_000);
    JsonObject worker = entry(roster.update(gathered(2, "edge", "worker"), 3_000), "worker");
    assertEquals("up", worker.getString("state"));
    assertEquals(3_000, worker.getLong("since_ms"));
    assertNull(worker.getString("reason"));
  }

  @Test
  void goneNodesAreForgottenAfterAnHourAndAtMostMaxGoneAreKept() {
    roster.update(gathered(1, "old"), 0);
    roster.update(gathered(1, "edge"), 1_000);
    assertEquals("gone", entry(roster.update(gathered(1, "edge"), NodeRoster.FORGET_AFTER_MS), "old").getString("state"));
    assertEquals(1, roster.update(gathered(1, "edge"), NodeRoster.FORGET_AFTER_MS + 2_000).size(), "forgotten after an hour");

    String[] many = IntStream.range(0, NodeRoster.MAX_GONE + 5).mapToObj(i -> "n" + i).toArray(String[]::new);
    long at = NodeRoster.FORGET_AFTER_MS + 10_000;
    for (String node : many) {
      roster.update(gathered(1, node), at++); // each replaces the one before: the one before is gone
    }
    JsonArray result = roster.update(gathered(1, "edge"), at);
    long gone = result.stream().map(JsonObject.class::cast).filter(e -> e.getString("state").equals("gone")).count();
    assertEquals(NodeRoster.MAX_GONE, gone, result.encode());
    assertEquals("n" + (many.length - 1), entry(result, "n" + (many.length - 1)).getString("node"), "the newest gone are kept");
  }
}
