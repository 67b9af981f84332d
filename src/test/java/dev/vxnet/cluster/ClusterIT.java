package dev.vxnet.cluster;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  private static final List<String> JVM = VxnetProcess.SMALL_JVM;

  private Vertx vertx;
  private TestDnsServer dns;
  private WebClient web;
  private VxnetProcess edge;
  private VxnetProcess worker;
  private int edgeHttps;
  private int edgeHazelcast;
  private int edgeChat;
  private int workerChat;

  @BeforeAll
  @Timeout(240)
  void startTwoNodes() throws Exception {
    edgeHazelcast = TestNode.freePort();
    int workerHazelcast = TestNode.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + edgeHazelcast).add("127.0.0.1:" + workerHazelcast);
    // The edge is switched into the cluster by the launcher flag, the worker by its configuration: both ways work.
    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
    web = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    // The edge faces clients (chat, HTTPS) and resolves nothing itself; the worker runs the resolver.
    edge = VxnetProcess.start("edge", JVM, List.of("-cluster", "-cluster-host", "127.0.0.1", "-conf", new JsonObject()
      .put("node", new JsonObject().put("name", "edge"))
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast).put("members", members))
      .mergeIn(TestNode.config(TestNode.only("chat", "https")))
      .encode()), Map.of());
    edge.awaitLine("node edge: started", START);
    worker = VxnetProcess.start("worker", JVM, List.of("-conf", TestNode.clustered("worker", workerHazelcast, members, "chat", "dns")
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())))
      .encode()), Map.of());
    worker.awaitLine("node worker: started", START);
    edgeChat = edge.port("chat", START);
    edgeHttps = edge.port("https", START);
    workerChat = worker.port("chat", START);
  }

  @AfterAll
  @Timeout(60)
  void stopNodes() throws Exception {
    for (VxnetProcess node : new VxnetProcess[] {worker, edge}) {
      if (node != null) {
        node.close();
      }
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }


  /** GET /resolve on the edge's HTTPS port: the edge has no resolver, so only the worker can answer. */
  private HttpResponse<Buffer> resolveOnEdge(String name) throws Exception {
    return web.get(edgeHttps, "127.0.0.1", "/resolve").addQueryParam("name", name).addQueryParam("type", "A").send()
      .await(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  @Timeout(60)
  void eachNodeSeesBothNodes() throws InterruptedException {
    assertEquals("2", worker.awaitLine("cluster vxnet: node \\S+, .*; (\\d+) node\\(s\\) in the cluster", START).group(1),
      "the worker joined the edge's cluster");
    edge.awaitLine("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) joined; 2 node\\(s\\) now", START);
    // Hazelcast logs through SLF4J at WARN by default: no logo, no Jet instructions, no CP-subsystem warning.
    for (VxnetProcess node : List.of(edge, worker)) {
      for (String chatter : List.of("Hazelcast Platform", "Jet", "CP Subsystem", "Members {")) {
        assertFalse(node.output().contains(chatter), chatter + " in the default log:\n" + node.output());
      }
    }
  }

  @Test
  @Order(1)
  @Timeout(60)
  void aClusteredNodesReadinessChecksItsMembership() throws Exception {
    HttpResponse<Buffer> ready = web.get(edgeHttps, "127.0.0.1", "/ready").send().await(30, TimeUnit.SECONDS);
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    JsonObject cluster = ready.bodyAsJsonObject().getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(check -> check.getString("id").equals("cluster")).findFirst().orElseThrow(() -> new AssertionError(ready.bodyAsString()));
    assertEquals("UP", cluster.getString("status"), cluster.encode());
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
  void aNameResolvedThroughTheEdgeIsAnsweredByTheWorkersResolver() throws Exception {
    HttpResponse<Buffer> response = resolveOnEdge("www.vxnet.test");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject doh = response.bodyAsJsonObject();
    assertEquals(0, doh.getInteger("Status"));
    assertTrue(doh.getJsonArray("Answer").encode().contains(TestZone.WWW_V4), doh.encode());
  }

  @Test
  @Order(4)
  @Timeout(60)
  void aNodeThatCannotStartItsClusterSaysWhyInOneLineAndExitsWith1() throws Exception {
    try (VxnetProcess intruder = VxnetProcess.start("intruder", JVM, List.of("-cluster", "-conf", new JsonObject()
      .put("cluster", new JsonObject().put("hazelcast_port", edgeHazelcast))
      .mergeIn(TestNode.config(TestNode.only("chat")))
      .encode()), Map.of())) {
      assertEquals(1, intruder.exitCode(START));
      intruder.awaitLine("^vxnet: cannot start: cluster\\.hazelcast_port: cannot listen on 127\\.0\\.0\\.1:" + edgeHazelcast
        + " \\(Address already in use; another process holds the port: another vxnet node\\? .*node\\.port_offset.*\\)$",
        Duration.ofSeconds(5));
    }
  }

  @Test
  @Order(5)
  @Timeout(60)
  void whenTheWorkerIsKilledTheEdgeNoticesAndKeepsServing() throws Exception {
    worker.kill();
    edge.awaitLine("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:\\d+\\) left; 1 node\\(s\\) now", Duration.ofSeconds(20));
    // Until the cluster has dropped the dead node's registrations, a request may still be routed to it and
    // time out after the service timeout (504); once dropped, the answer is 503 at once. Either way a clear
    // error within seconds: never a hang, never Vert.x's 30 s default.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
    while (true) {
      long asked = System.nanoTime();
      HttpResponse<Buffer> response = resolveOnEdge("www.vxnet.test");
      long answeredMs = (System.nanoTime() - asked) / 1_000_000;
      String code = response.bodyAsJsonObject().getJsonObject("error").getString("code");
      assertTrue(answeredMs < 7_000, "answered within the 5 s service timeout, took " + answeredMs + " ms");
      if (response.statusCode() == 503) {
        assertEquals("UNAVAILABLE", code, response.bodyAsString());
        assertTrue(answeredMs < 2_000, "no resolver anywhere is said at once, took " + answeredMs + " ms");
        break;
      }
      assertEquals(504, response.statusCode(), response.bodyAsString());
      assertEquals("TIMEOUT", code, response.bodyAsString());
      assertTrue(System.nanoTime() < deadline, "still routed to the dead node 45 s after it left");
    }
    try (LineClient first = LineClient.chat(edgeChat, CHAT); LineClient second = LineClient.chat(edgeChat, CHAT)) {
      first.send("/nick carol");
      first.send("still here");
      assertEquals("<carol> still here", second.expectStartingWith("<carol>", CHAT));
    }
  }

}
