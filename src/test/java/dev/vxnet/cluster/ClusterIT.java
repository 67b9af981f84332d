package dev.vxnet.cluster;

import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two vxnet nodes as separate JVMs (the fat jar) clustered over Hazelcast on loopback: an "edge" that faces
 * clients and a "worker" that runs the back-end services. Both run chat, so that a line typed on one reaches
 * clients on the other; a third node that cannot bind its cluster port must say so in one line; then the worker
 * is killed and the edge must notice and go on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  /** JVM start plus Hazelcast join, on a 2-core machine busy with other builds. */
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration CHAT = Duration.ofSeconds(10);
  /** Small, quick-starting JVMs: three run at once on a 2-core machine. */
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private VxnetProcess edge;
  private VxnetProcess worker;
  private int edgeHazelcast;
  private int edgeChat;
  private int workerChat;

  @BeforeAll
  @Timeout(240)
  void startTwoNodes() throws Exception {
    edgeHazelcast = freePort();
    int workerHazelcast = freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + edgeHazelcast).add("127.0.0.1:" + workerHazelcast);
    // The edge is switched into the cluster by the launcher flag, the worker by its configuration: both ways work.
    edge = VxnetProcess.start("edge", JVM, List.of("-cluster", "-cluster-host", "127.0.0.1", "-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "edge"))
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast).put("members", members))
      .mergeIn(chatOnly())
      .encode()), Map.of());
    edge.awaitLine("node edge: started", START);
    worker = VxnetProcess.start("worker", JVM, List.of("-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "worker"))
      .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1")
        .put("hazelcast_port", workerHazelcast).put("members", members))
      .mergeIn(chatOnly())
      .encode()), Map.of());
    worker.awaitLine("node worker: started", START);
    edgeChat = edge.port("chat", START);
    workerChat = worker.port("chat", START);
  }

  @AfterAll
  @Timeout(60)
  void stopNodes() throws InterruptedException {
    for (VxnetProcess node : new VxnetProcess[] {worker, edge}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(60)
  void eachNodeSeesBothNodes() throws InterruptedException {
    assertEquals("2", worker.awaitLine("cluster vxnet: node \\S+, .*; (\\d+) node\\(s\\) in the cluster", START).group(1),
      "the worker joined the edge's cluster");
    edge.awaitLine("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) joined; 2 node\\(s\\) now", START);
  }

  @Test
  @Order(2)
  @Timeout(60)
  void aChatLineTypedOnOneNodeReachesClientsOnTheOther() throws Exception {
    try (LineClient onEdge = LineClient.chat(edgeChat, CHAT); LineClient onWorker = LineClient.chat(workerChat, CHAT)) {
      onWorker.send("/nick bob");
      onWorker.send("hello from the worker");
      assertEquals("<bob> hello from the worker", onEdge.expectStartingWith("<bob>", CHAT));
      onEdge.send("/nick alice");
      onEdge.send("hello from the edge");
      assertEquals("<alice> hello from the edge", onWorker.expectStartingWith("<alice>", CHAT));
    }
  }

  @Test
  @Order(3)
  @Timeout(60)
  void aNodeThatCannotStartItsClusterSaysWhyInOneLineAndExitsWith1() throws Exception {
    try (VxnetProcess intruder = VxnetProcess.start("intruder", JVM, List.of("-cluster", "-conf", new JsonObject()
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast))
      .mergeIn(chatOnly())
      .encode()), Map.of())) {
      assertEquals(1, intruder.exitCode(START));
      intruder.awaitLine("^  cluster\\.hazelcast_port: cannot listen on 127\\.0\\.0\\.1:" + edgeHazelcast
        + " \\(Address already in use; another process holds the port: choose another\\)$", Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(4)
  @Timeout(60)
  void whenTheWorkerIsKilledTheEdgeNoticesAndKeepsServing() throws Exception {
    worker.kill();
    edge.awaitLine("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) left; 1 node\\(s\\) now", Duration.ofSeconds(20));
    try (LineClient first = LineClient.chat(edgeChat, CHAT); LineClient second = LineClient.chat(edgeChat, CHAT)) {
      first.send("/nick carol");
      first.send("still here");
      assertEquals("<carol> still here", second.expectStartingWith("<carol>", CHAT));
    }
  }

  /** Every service disabled but chat, which listens on a free loopback port. */
  private static JsonObject chatOnly() {
    return TestNode.config(TestNode.only("chat"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
