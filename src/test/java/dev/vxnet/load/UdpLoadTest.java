package dev.vxnet.load;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** vxnet load udp against vxnet's UDP echo, and against echoes that drop or reorder datagrams. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UdpLoadTest {

  private static TestNode node;
  private static MisbehavingServers bad;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("udp").put("udp", new JsonObject().put("rate_limit_per_second", 0)));
    bad = new MisbehavingServers();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    bad.close();
  }

  @Test
  void everyDatagramAnsweredAndVerified() throws Exception {
    long before = node.counters("udp").getLong("datagrams_out");
    Loads.Run run = Loads.run("udp", "--port", node.port("udp"), "--connections", 2, "--window", 4, "--size", 512,
      "--count", 4000, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(4000, json.getLong("operations"));
    assertEquals(4000, json.getLong("sent"));
    assertEquals(0, json.getLong("lost"));
    assertEquals(4000L * 512, json.getLong("bytes"));
    assertEquals(4000, node.countersOnce("udp", "datagrams_out", before + 4000).getLong("datagrams_out") - before);
  }

  /** Long enough that a reply delayed by a loaded machine is never counted lost (100 ms was seen to miss one). */
  private static final int LOSS_TIMEOUT_MS = 1000;

  @Test
  void everyTenthDatagramDroppedIsTenPercentLoss() throws Exception {
    Loads.Run run = Loads.run("udp", "--port", bad.droppingUdpEcho(10), "--connections", 1, "--window", 10,
      "--timeout", LOSS_TIMEOUT_MS, "--count", 1000, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(1000, json.getLong("sent"));
    assertEquals(100, json.getLong("lost"), run.toString());
    assertEquals(10.0, json.getDouble("loss_pct"));
    assertEquals(900, json.getLong("operations"));
    assertEquals(100, run.errorKind("lost"));
    Loads.Run tolerated = Loads.run("udp", "--port", bad.droppingUdpEcho(10), "--connections", 1, "--window", 10,
      "--timeout", LOSS_TIMEOUT_MS, "--count", 1000, "--max-errors", 100, "--json");
    assertEquals(0, tolerated.status(), tolerated.toString());
  }

  @Test
  void swappedRepliesCountAsReorderedNotLost() throws Exception {
    Loads.Run run = Loads.run("udp", "--port", bad.swappingUdpEcho(), "--connections", 1, "--window", 8,
      "--count", 1000, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(1000, run.count("operations"));
    assertEquals(500, run.count("reordered"), run.toString());
    assertEquals(0, run.count("lost"));
  }
}
