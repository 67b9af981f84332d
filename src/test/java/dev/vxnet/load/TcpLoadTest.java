package dev.vxnet.load;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vxnet load tcp against vxnet's TCP echo, and against echo servers that change bytes or never answer. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TcpLoadTest {

  private static TestNode node;
  private static MisbehavingServers bad;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("tcp"));
    bad = new MisbehavingServers();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    bad.close();
  }

  @Test
  void pingPongCountsEveryMessageOnceAndVerifiesEveryByte() throws Exception {
    JsonObject before = node.counters("tcp");
    Loads.Run run = Loads.run("tcp", "--port", node.port("tcp"), "--connections", 8, "--count", 3000, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(3000, json.getLong("operations"));
    assertEquals(3000 * 64, json.getLong("bytes"));
    assertEquals(0, json.getLong("errors"));
    assertTrue(json.getDouble("throughput_per_s") > 0);
    JsonObject latency = json.getJsonObject("latency_us");
    assertTrue(latency.getDouble("p50") > 0 && latency.getDouble("p50") <= latency.getDouble("p99")
      && latency.getDouble("p99") <= latency.getDouble("max"), latency.encode());
    // The server saw exactly what was sent: 3000 messages of 64 bytes, each echoed (bytes_out is counted when a
    // write completes, which on io_uring can come after the client has the bytes).
    JsonObject after = node.countersOnce("tcp", "bytes_out", before.getLong("bytes_out") + 3000 * 64);
    assertEquals(3000 * 64, after.getLong("bytes_in") - before.getLong("bytes_in"));
    assertEquals(3000 * 64, after.getLong("bytes_out") - before.getLong("bytes_out"));
  }

  @Test
  void pipelinedMessagesAndBulkChunksOfAnySize() {
    Loads.Run pipelined = Loads.run("tcp", "--port", node.port("tcp"), "--connections", 3, "--window", 16, "--size", 1000,
      "--count", 2000, "--json");
    assertEquals(0, pipelined.status(), pipelined.toString());
    assertEquals(2000, pipelined.count("operations"));
    // Chunks larger than the payload's period (65521 bytes) are written and verified in pieces.
    Loads.Run bulk = Loads.run("tcp", "--mode", "bulk", "--port", node.port("tcp"), "--size", 100_000, "--count", 200, "--json");
    assertEquals(0, bulk.status(), bulk.toString());
    assertEquals(200, bulk.count("operations"));
    assertEquals(200 * 100_000L, bulk.count("bytes"));
    assertEquals("bulk", bulk.json().getString("mode"));
    assertEquals(4, bulk.json().getInteger("connections"));
  }

  @Test
  void constantRateSendsAtTheRate() {
    Loads.Run run = Loads.run("tcp", "--port", node.port("tcp"), "--connections", 4, "--rate", 400, "--duration", 1.5,
      "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals("constant-rate", run.json().getString("pacing"));
    long operations = run.count("operations");
    assertTrue(operations >= 590 && operations <= 601, "400/s for 1.5 s: " + operations);
  }

  @Test
  void changedBytesAreErrorsAndTheExitStatusSaysSo() throws Exception {
    Loads.Run run = Loads.run("tcp", "--port", bad.corruptingTcpEcho(6_400), "--connections", 1, "--count", 1000, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    // One byte in 6400 inverted: every 100th message of 64 bytes.
    assertEquals(10, run.errorKind("corrupt"), run.toString());
    assertEquals(10, run.count("errors"));
    assertEquals(990, run.count("operations"));
    assertTrue(run.err().contains("10 errors, more than --max-errors 0"), run.err());
    Loads.Run tolerated = Loads.run("tcp", "--port", bad.corruptingTcpEcho(6_400), "--connections", 1, "--count", 1000,
      "--max-errors", 10, "--json");
    assertEquals(0, tolerated.status(), tolerated.toString());
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    Loads.Run run = Loads.run("tcp", "--port", bad.silentTcp(), "--connections", 2, "--window", 3, "--timeout", 300,
      "--duration", 5, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertEquals(6, run.errorKind("timeout"), run.toString());
    assertEquals(0, run.count("operations"));
    assertTrue(run.json().getDouble("duration_s") < 5, "the run ends once every connection failed: " + run);
  }

  @Test
  void noServerIsOneLineAndExitStatusOne() throws Exception {
    Loads.Run run = Loads.run("tcp", "--port", TestNode.freePort(), "--connections", 2, "--duration", 1);
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertTrue(run.err().matches("vxnet load tcp: no connection to 127\\.0\\.0\\.1:\\d+: .*(refused|Connection).*\\R"), run.err());
  }
}
