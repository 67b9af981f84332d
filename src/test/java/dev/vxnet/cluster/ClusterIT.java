package dev.vxnet.cluster;

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
import java.util.regex.Pattern;

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

  private NodeProcess edge;
  private NodeProcess worker;
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
    edge = NodeProcess.start("edge", List.of("-cluster", "-cluster-host", "127.0.0.1", "-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "edge"))
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast).put("members", members))
      .put("tcp", new JsonObject().put("enabled", false))
      .put("udp", new JsonObject().put("enabled", false))
      .put("chat", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .encode()));
    edge.awaitLine(Pattern.compile("node edge: started"), START);
    worker = NodeProcess.start("worker", List.of("-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "worker"))
      .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1")
        .put("hazelcast_port", workerHazelcast).put("members", members))
      .put("tcp", new JsonObject().put("enabled", false))
      .put("udp", new JsonObject().put("enabled", false))
      .put("chat", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .encode()));
    worker.awaitLine(Pattern.compile("node worker: started"), START);
    edgeChat = edge.port("chat", START);
    workerChat = worker.port("chat", START);
  }

  @AfterAll
  @Timeout(60)
  void stopNodes() throws InterruptedException {
    for (NodeProcess node : new NodeProcess[] {worker, edge}) {
      if (node != null) {
        node.close();
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(60)
  void eachNodeSeesBothNodes() throws InterruptedException {
    assertEquals("2", worker.awaitLine(Pattern.compile("cluster vxnet: node \\S+, .*; (\\d+) node\\(s\\) in the cluster"), START).group(1),
      "the worker joined the edge's cluster");
    edge.awaitLine(Pattern.compile("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) joined; 2 node\\(s\\) now"), START);
  }

  @Test
  @Order(2)
  @Timeout(60)
  void aChatLineTypedOnOneNodeReachesClientsOnTheOther() throws IOException {
    try (ChatClient onEdge = ChatClient.connect(edgeChat, CHAT); ChatClient onWorker = ChatClient.connect(workerChat, CHAT)) {
      onWorker.type("/nick bob");
      onWorker.type("hello from the worker");
      assertEquals("<bob> hello from the worker", onEdge.awaitLine("<bob>", CHAT));
      onEdge.type("/nick alice");
      onEdge.type("hello from the edge");
      assertEquals("<alice> hello from the edge", onWorker.awaitLine("<alice>", CHAT));
    }
  }

  @Test
  @Order(3)
  @Timeout(60)
  void aNodeThatCannotStartItsClusterSaysWhyInOneLineAndExitsWith1() throws Exception {
    try (NodeProcess intruder = NodeProcess.start("intruder", List.of("-cluster", "-conf", new JsonObject()
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast))
      .put("tcp", new JsonObject().put("enabled", false))
      .put("udp", new JsonObject().put("enabled", false))
      .put("chat", new JsonObject().put("port", 0))
      .encode()))) {
      assertEquals(1, intruder.awaitExit(START));
      intruder.awaitLine(Pattern.compile("^  cluster\\.hazelcast_port: cannot listen on 127\\.0\\.0\\.1:" + edgeHazelcast
        + " \\(Address already in use; another process holds the port: choose another\\)$"), Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(4)
  @Timeout(60)
  void whenTheWorkerIsKilledTheEdgeNoticesAndKeepsServing() throws Exception {
    worker.kill();
    edge.awaitLine(Pattern.compile("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) left; 1 node\\(s\\) now"), Duration.ofSeconds(20));
    try (ChatClient first = ChatClient.connect(edgeChat, CHAT); ChatClient second = ChatClient.connect(edgeChat, CHAT)) {
      first.type("/nick carol");
      first.type("still here");
      assertEquals("<carol> still here", second.awaitLine("<carol>", CHAT));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
