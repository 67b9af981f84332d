package dev.vxnet.https;

import dev.vxnet.bus.Addresses;
import dev.vxnet.net.Listening;
import dev.vxnet.support.TestNode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/stats} over a whole node started by MainVerticle, as the launcher would. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StatsApiTest {

  private static final int HTTPS_INSTANCES = 3;

  /** A whole node (every service on a free port of 127.0.0.1) with several HTTPS instances. */
  private static TestNode startNode(JsonObject httpsOverrides) throws Exception {
    return TestNode.start(new JsonObject()
      .put("node", new JsonObject().put("name", "stats-test-node"))
      .put("https", WebTests.httpsConfig(new JsonObject().put("instances", HTTPS_INSTANCES).mergeIn(httpsOverrides))));
  }

  private static JsonObject stats(WebClient client, Vertx vertx) throws Exception {
    var response = await(client.get(Listening.port(vertx, "https"), "127.0.0.1", "/api/stats").send());
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("content-type"));
    return response.bodyAsJsonObject();
  }

  private static long total(JsonObject stats, String service, String counter) {
    return stats.getJsonObject("totals").getJsonObject(service).getJsonObject("counters").getLong(counter, 0L);
  }

  @Test
  void countersOfEveryServiceMoveWithTrafficAndAddUpAcrossInstances() throws Exception {
    try (TestNode node = startNode(new JsonObject().put("stats_timeout_ms", 5_000))) {
      countersMove(node.vertx);
    }
  }

  private static void countersMove(Vertx vertx) throws Exception {
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    JsonObject before = stats(client, vertx);
    assertTrue(before.getBoolean("complete"), before.encodePrettily());

    NetClient tcp = WebTests.keep(vertx.createNetClient());
    Promise<Buffer> echoed = Promise.promise();
    NetSocket echo = await(tcp.connect(Listening.port(vertx, "tcp"), "127.0.0.1"));
    Buffer got = Buffer.buffer();
    echo.handler(data -> {
      got.appendBuffer(data);
      if (got.length() >= 5) {
        echoed.tryComplete(got);
      }
    });
    echo.write("ping\n");
    assertEquals("ping\n", await(echoed.future()).toString());
    await(echo.close());

    DatagramSocket udp = vertx.createDatagramSocket();
    Promise<Buffer> answered = Promise.promise();
    udp.handler(packet -> answered.tryComplete(packet.data()));
    await(udp.listen(0, "127.0.0.1"));
    await(udp.send(Buffer.buffer("datagram"), Listening.port(vertx, "udp"), "127.0.0.1"));
    assertEquals("datagram", await(answered.future()).toString());
    await(udp.close());

    Promise<Void> welcomed = Promise.promise();
    NetSocket chat = await(tcp.connect(Listening.port(vertx, "chat"), "127.0.0.1"));
    chat.handler(line -> welcomed.tryComplete());
    await(welcomed.future());
    await(chat.write("hello from the stats test\n"));

    int requests = 3 * HTTPS_INSTANCES;
    WebClient oneConnectionEach = WebTests.keep(WebClient.create(vertx, new WebClientOptions().setSsl(true).setKeepAlive(false)
      .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.get().caPem.toString()))));
    for (int i = 0; i < requests; i++) {
      assertEquals(200, await(oneConnectionEach.get(Listening.port(vertx, "https"), "127.0.0.1", "/api/echo").send()).statusCode());
    }

    JsonObject after = stats(client, vertx);
    assertTrue(after.getBoolean("complete"), after.encodePrettily());
    assertEquals(new JsonArray(), after.getJsonArray("problems"));
    assertTrue(total(after, "tcp", "bytes_in") - total(before, "tcp", "bytes_in") >= 5, "tcp bytes_in moved");
    assertTrue(total(after, "udp", "datagrams_out") - total(before, "udp", "datagrams_out") >= 1, "udp datagrams_out moved");
    assertTrue(total(after, "chat", "lines_in") - total(before, "chat", "lines_in") >= 1, "chat lines_in moved");
    assertEquals(requests + 1, total(after, "https", "requests") - total(before, "https", "requests"),
      "every echo and the second stats request, counted once across " + HTTPS_INSTANCES + " instances");
    assertEquals(requests + 1, total(after, "https", "responses_2xx") - total(before, "https", "responses_2xx"),
      "the echoes and the first stats answer (the second is still being written)");

    JsonObject nodeStats = after.getJsonArray("nodes").getJsonObject(0);
    assertEquals("stats-test-node", nodeStats.getString("node"));
    JsonObject https = nodeStats.getJsonObject("services").getJsonObject("https");
    assertEquals(HTTPS_INSTANCES, https.getInteger("instances_answered"));
    long busy = https.getJsonArray("instances").stream()
      .filter(instance -> ((JsonObject) instance).getJsonObject("counters").getLong("requests") > 0).count();
    assertTrue(busy >= 2, "connections are spread over the instances sharing the port: " + https.encodePrettily());
  }

  @Test
  void aServiceThatDoesNotAnswerIsReportedNotHidden() throws Exception {
    try (TestNode node = startNode(new JsonObject().put("stats_timeout_ms", 2_000))) {
      silentServiceReported(node.vertx);
    }
  }

  private static void silentServiceReported(Vertx vertx) throws Exception {
    // The tcp instance's answers are lost on the way, as if it were stuck: it must show as silent.
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().startsWith(Addresses.STATS_REPLY_PREFIX)
        && delivery.body() instanceof JsonObject answer && "tcp".equals(answer.getString("service"))) {
        return; // dropped
      }
      delivery.next();
    });
    JsonObject stats = stats(WebTests.client(vertx, HttpVersion.HTTP_2), vertx);
    assertFalse(stats.getBoolean("complete"));
    JsonObject services = stats.getJsonArray("nodes").getJsonObject(0).getJsonObject("services");
    assertEquals("timeout", services.getJsonObject("tcp").getString("status"));
    assertEquals(0, services.getJsonObject("tcp").getInteger("instances_answered"));
    assertEquals("ok", services.getJsonObject("udp").getString("status"), "the others are still reported");
    assertTrue(stats.getJsonArray("problems").encode().contains("tcp: 1 of 1 instances did not answer"), stats.getJsonArray("problems").encode());
  }
}
