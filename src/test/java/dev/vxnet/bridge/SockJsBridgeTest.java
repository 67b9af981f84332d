package dev.vxnet.bridge;

import dev.vxnet.bridge.tcp.BridgeLimits;
import dev.vxnet.bus.Addresses;
import dev.vxnet.support.WebMount;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SockJS bridge mounted on a real HTTP server, spoken to by a real WebSocket client on the raw endpoint
 * {@code /eventbus/websocket} (one JSON frame per WebSocket message), next to a real chat service.
 */
class SockJsBridgeTest {

  private static final BridgeLimits LIMITS = new BridgeLimits(1_024, 5_000, 4, 4);

  private TestNode node;
  private HttpServer server;
  private WebSocketClient webSockets;
  private LineClient chat;
  private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start(TestNode.only("chat"));
    RouteGroup bridge = SockJsBridge.routes(LIMITS);
    Router router = WebMount.router(node.vertx, bridge, new JsonObject());
    server = await(node.vertx.createHttpServer(WebMount.options(new HttpServerOptions().setHost("127.0.0.1").setPort(0), bridge))
      .requestHandler(router).listen());
    webSockets = node.vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    if (chat != null) {
      chat.close();
    }
    if (webSockets != null) {
      await(webSockets.close());
    }
    if (server != null) {
      await(server.close());
    }
    node.close();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private WebSocket connect() throws Exception {
    return await(webSockets.connect(server.actualPort(), "127.0.0.1", "/eventbus/websocket").onSuccess(ws -> {
      ws.handler(data -> received.add(data.toJsonObject())); // the bridge writes binary messages, clients send text
      ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    }));
  }

  private JsonObject expect(Predicate<JsonObject> wanted, String description) throws Exception {
    while (true) {
      JsonObject frame = received.poll(5, TimeUnit.SECONDS);
      assertNotNull(frame, "no frame " + description + " within 5 s");
      if (wanted.test(frame)) {
        return frame;
      }
    }
  }

  private static JsonObject frame(String type, String address, Object body) {
    return new JsonObject().put("type", type).put("address", address).put("body", body);
  }

  private static JsonObject message(String nick, String text) {
    return new JsonObject().put("type", "message").put("nick", nick).put("text", text);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRequestToStatsIsAnswered() throws Exception {
    WebSocket ws = connect();
    await(ws.writeTextMessage(frame("send", Addresses.STATS, new JsonObject()).put("replyAddress", "r-1").encode()));
    JsonObject reply = expect(frame -> "r-1".equals(frame.getString("address")), "replying to r-1");
    assertEquals("rec", reply.getString("type"));
    assertTrue(reply.getJsonObject("body").getJsonObject("totals").containsKey("chat"), reply.encode());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void chatLinesGoBothWays() throws Exception {
    chat = new LineClient(node.port("chat"));
    chat.expectStartingWith("* welcome");
    WebSocket ws = connect();
    await(ws.writeTextMessage(frame("register", "vxnet.chat.lobby", null).encode()));
    await(ws.writeTextMessage(frame("publish", "vxnet.chat.lobby", message("web", "hello chat")).encode()));
    assertEquals("<web> hello chat", chat.expectStartingWith("<web>"));
    // our own line came back: the registration is in place
    expect(frame -> frame.encode().contains("hello chat"), "echoing our own line");
    chat.send("/nick bob");
    chat.send("hello web");
    JsonObject line = expect(frame -> frame.encode().contains("hello web"), "carrying the chat line");
    assertEquals("vxnet.chat.lobby", line.getString("address"));
    assertEquals("bob", line.getJsonObject("body").getString("nick"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void addressesOutsideThePermittedListsAreRefused() throws Exception {
    WebSocket ws = connect();
    await(ws.writeTextMessage(frame("send", Addresses.STATS_COLLECT, new JsonObject()).put("replyAddress", "r").encode()));
    assertEquals(new JsonObject().put("type", "err").put("body", "access_denied"), expect(f -> true, "refusing the send"));
    await(ws.writeTextMessage(frame("register", "vxnet.stats.reply.x", null).encode()));
    assertEquals("access_denied", expect(f -> true, "refusing the register").getString("body"));
    await(ws.writeTextMessage(frame("publish", Addresses.STATS, new JsonObject()).encode()));
    assertEquals("rejected", expect(f -> true, "refusing a publish to a service").getString("body"));
    await(ws.writeTextMessage(frame("send", "vxnet.chat.lobby", message("web", "x")).encode()));
    assertEquals("rejected", expect(f -> true, "refusing a send to a room").getString("body"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aWebSocketMessageAboveTheFrameLimitClosesTheWebSocket() throws Exception {
    WebSocket ws = connect();
    String big = frame("publish", "vxnet.chat.lobby", message("web", "x".repeat(LIMITS.maxFrameBytes()))).encode();
    ws.writeTextMessage(big);
    closed.get(10, TimeUnit.SECONDS); // the server's WebSocket decoder refuses the frame and drops the connection
    assertTrue(received.isEmpty(), received.toString());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anXhrSendAboveTheFrameLimitIsRefusedByTheBodyHandler() throws Exception {
    HttpClient http = node.vertx.createHttpClient();
    try {
      int status = await(http.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/eventbus/000/session1/xhr_send")
        .compose(request -> request.send(Buffer.buffer("[\"" + "x".repeat(LIMITS.maxFrameBytes()) + "\"]")))
        .map(response -> response.statusCode()));
      assertEquals(413, status);
    } finally {
      await(http.close());
    }
  }
}
