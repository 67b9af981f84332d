package dev.vxnet.health;

import dev.vxnet.bus.Node;
import dev.vxnet.support.Http;
import dev.vxnet.support.TestNode;
import dev.vxnet.tcp.TcpEchoVerticle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health} and {@code /ready} of a whole node started by MainVerticle. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReadinessTest {

  @Test
  void readyChecksEveryDeployedServiceAndGoesDownWhenOneIsUndeployed() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("tcp", "udp", "https", "dns").put("dns",
      new JsonObject().put("upstreams", new io.vertx.core.json.JsonArray().add("127.0.0.1:9"))))) {
      Http http = new Http(node.vertx);
      int https = node.port("https");
      JsonObject ready = body(http.https(https, "/ready"), 200);
      assertEquals("UP", ready.getString("outcome"));
      assertEquals("UP", check(ready, "tcp").getString("status"));
      assertEquals("UP", check(ready, "dns").getString("status"));
      assertEquals("ready", check(ready, "node").getJsonObject("data").getString("state"));
      assertEquals(5, ready.getJsonArray("checks").size(), "node and the four services deployed: " + ready);

      String tcp = node.vertx instanceof VertxInternal internal ? internal.deploymentManager().deployments().stream()
        .filter(deployment -> deployment.deployment().instances().stream().anyMatch(TcpEchoVerticle.class::isInstance))
        .map(DeploymentContext::id).findFirst().orElseThrow() : null;
      node.vertx.undeploy(tcp).await(20, TimeUnit.SECONDS);

      JsonObject down = body(http.https(https, "/ready"), 503);
      assertEquals("DOWN", down.getString("outcome"));
      assertEquals("DOWN", check(down, "tcp").getString("status"));
      assertTrue(check(down, "tcp").getJsonObject("data").getString("error").startsWith("vxnet.health.tcp: "), down.encode());
      assertEquals("UP", check(down, "udp").getString("status"), "the others are still up");
      assertEquals(200, http.https(https, "/health").statusCode(), "liveness stays trivial");
    }
  }

  @Test
  void drainingIsNotReadyButAlive() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https", "http"))) {
      Http http = new Http(node.vertx);
      Node.setState(node.vertx, Node.State.DRAINING); // what the launcher does first on SIGTERM
      JsonObject down = body(http.https(node.port("https"), "/ready"), 503);
      assertEquals("draining", check(down, "node").getJsonObject("data").getString("state"));
      assertEquals("DOWN", check(down, "node").getString("status"));
      assertEquals(503, http.http(node.port("http"), "/ready").statusCode(), "plain HTTP answers it while redirecting");
      JsonObject alive = body(http.https(node.port("https"), "/health"), 200);
      assertEquals("UP", alive.getString("outcome"));
      assertEquals("UP", check(alive, "server").getString("status"));
    }
  }

  private static JsonObject body(HttpResponse<Buffer> response, int status) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("no-store", response.getHeader("cache-control"));
    return response.bodyAsJsonObject();
  }

  private static JsonObject check(JsonObject result, String id) {
    return result.getJsonArray("checks").stream().map(JsonObject.class::cast)
      .filter(check -> check.getString("id").equals(id)).findFirst()
      .orElseThrow(() -> new AssertionError("no check " + id + " in " + result.encode()));
  }
}
