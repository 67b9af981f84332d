package dev.vxnet.https;

import dev.vxnet.support.TestNode;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SockJS event-bus bridge as the HTTPS server serves it, and its switch. */
class EventBusRouteTest {


  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aWebSocketClientReachesTheStatsServiceThroughHttps() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https", "tcp"))) {
      WebSocketClient client = node.vertx.createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true).setTrustAll(true).setVerifyHost(false));
      CompletableFuture<JsonObject> reply = new CompletableFuture<>();
      var socket = client.connect(node.port("https"), "127.0.0.1", "/eventbus/websocket").await(20, TimeUnit.SECONDS);
      socket.handler(data -> reply.complete(data.toJsonObject()));
      socket.writeTextMessage(new JsonObject().put("type", "send").put("address", "vxnet.stats")
        .put("body", new JsonObject()).put("replyAddress", "r1").encode());
      JsonObject message = reply.get(20, TimeUnit.SECONDS);
      assertEquals("r1", message.getString("address"), message.encode());
      assertTrue(message.getJsonObject("body").getJsonObject("totals").containsKey("tcp"), message.encode());
      client.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theBridgeCanBeSwitchedOff() throws Exception {
    JsonObject off = TestNode.only("https").put("https", new JsonObject().put("eventbus_bridge", false));
    for (boolean enabled : new boolean[] {true, false}) {
      try (TestNode node = TestNode.start(enabled ? TestNode.only("https") : off)) {
        HttpClient client = node.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
        int status = client.request(HttpMethod.GET, node.port("https"), "127.0.0.1", "/eventbus/info")
          .compose(request -> request.send()).map(response -> response.statusCode()).await(20, TimeUnit.SECONDS);
        assertEquals(enabled ? 200 : 404, status, "GET /eventbus/info with eventbus_bridge=" + enabled);
        client.close().await(20, TimeUnit.SECONDS);
      }
    }
  }
}
