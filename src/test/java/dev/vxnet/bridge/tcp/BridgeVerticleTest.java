package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.Addresses;
import dev.vxnet.support.Await;
import dev.vxnet.support.BridgeClient;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TCP bridge with real socket clients speaking the wire protocol, next to a real chat service. */
class BridgeVerticleTest {

  private TestNode node;
  private final List<AutoCloseable> clients = new ArrayList<>();

  private void start(JsonObject bridge) throws Exception {
    node = TestNode.start(TestNode.only("bridge", "chat").put("bridge", bridge));
  }

  private void start() throws Exception {
    start(new JsonObject().put("max_frame_bytes", 1_024).put("max_registrations", 3).put("max_pending_requests", 2));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private BridgeClient bridge() throws Exception {
    BridgeClient client = new BridgeClient(node.port("bridge"));
    clients.add(client);
    return client;
  }

  private LineClient chat() throws Exception {
    LineClient client = new LineClient(node.port("chat"));
    clients.add(client);
    client.expectStartingWith("* welcome");
    return client;
  }

  private static JsonObject frame(String type, String address) {
    return new JsonObject().put("type", type).put("address", address);
  }

  private static JsonObject request(String address, String replyAddress, Object body) {
    return frame("send", address).put("replyAddress", replyAddress).put("body", body);
  }

  /** Sends {@code frame} and returns the {@code message} token of the err frame that answers it. */
  private static String errorAnswering(BridgeClient client, JsonObject frame) throws Exception {
    client.send(frame);
    JsonObject answer = client.next();
    assertTrue(isErr(answer), "expected an err frame, got " + answer);
    return answer.getString("message");
  }

  /** A consumer at the DNS address that never answers: a service too slow for any timeout. */
  private void silentDnsService() throws Exception {
    node.vertx.eventBus().consumer(Addresses.DNS_RESOLVE, message -> { }).completion()
      .await(5, TimeUnit.SECONDS);
  }

  private static boolean isErr(JsonObject frame) {
    return "err".equals(frame.getString("type"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void pingIsAnsweredWithPong() throws Exception {
    start();
    BridgeClient client = bridge();
    client.send(new JsonObject().put("type", "ping"));
    assertEquals(new JsonObject().put("type", "pong"), client.next());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRequestToStatsIsAnsweredWithTheCountersOfEveryService() throws Exception {
    start();
    BridgeClient client = bridge();
    client.send(request(Addresses.STATS, "reply-1", new JsonObject().put("timeout_ms", 2_000)));
    JsonObject reply = client.expect(frame -> "reply-1".equals(frame.getString("address")), "replying to reply-1");
    assertEquals("message", reply.getString("type"));
    JsonObject totals = reply.getJsonObject("body").getJsonObject("totals");
    assertTrue(reply.getJsonObject("body").getBoolean("complete"), reply.encode());
    assertEquals(1, totals.getJsonObject("bridge").getJsonObject("counters").getLong("requests"), reply.encode());
    assertTrue(totals.containsKey("chat"), reply.encode());
  }

  /** A client that half-closes right after its request still gets the reply, then the connection ends. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void requestsSentBeforeTheClientsFinAreAnsweredThenTheConnectionEnds() throws Exception {
    // one request in flight at a time: the second waits, unread, while the first is answered (then the FIN is read)
    start(new JsonObject().put("max_pending_requests", 1));
    BridgeClient client = bridge();
    JsonObject first = request(Addresses.STATS, "reply-1", new JsonObject().put("timeout_ms", 2_000));
    JsonObject second = request(Addresses.STATS, "reply-2", new JsonObject().put("timeout_ms", 2_000));
    byte[] a = first.encode().getBytes(StandardCharsets.UTF_8);
    byte[] b = second.encode().getBytes(StandardCharsets.UTF_8);
    java.nio.ByteBuffer both = java.nio.ByteBuffer.allocate(8 + a.length + b.length).putInt(a.length).put(a).putInt(b.length).put(b);
    client.sendBytes(both.array()); // in one write, with the FIN right after
    client.shutdownOutput();
    List<String> replies = new ArrayList<>();
    for (JsonObject reply = client.next(); reply != null; reply = client.next()) {
      replies.add(reply.getString("address"));
    }
    assertEquals(List.of("reply-1", "reply-2"), replies, "both replies, then the server ends the connection");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aServiceErrorReplyComesBackAsAMessage() throws Exception {
    start();
    BridgeClient client = bridge();
    client.send(request(Addresses.STATS, "r", new JsonObject().put("timeout_ms", "soon")));
    JsonObject reply = client.next();
    assertEquals("message", reply.getString("type"), reply.encode());
    assertEquals("BAD_REQUEST", reply.getJsonObject("body").getJsonObject("error").getString("code"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPublishReachesTheChatClientsOfTheRoom() throws Exception {
    start();
    LineClient human = chat();
    BridgeClient bot = bridge();
    bot.send(frame("publish", "vxnet.chat.lobby").put("body", new JsonObject().put("type", "message").put("nick", "bot").put("text", "hi humans")));
    assertEquals("<bot> hi humans", human.expectStartingWith("<bot>"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRegisteredClientReceivesWhatAChatClientTypes() throws Exception {
    start();
    BridgeClient bot = bridge();
    bot.send(frame("register", "vxnet.chat.lobby"));
    bot.sync(); // the pong comes once the registration is in place
    LineClient human = chat();
    human.send("/nick alice");
    human.send("hello bot");
    JsonObject said = bot.expect(frame -> frame.getJsonObject("body", new JsonObject()).getString("type", "").equals("message"),
      "carrying a chat message");
    assertEquals("vxnet.chat.lobby", said.getString("address"));
    assertEquals(false, said.getBoolean("send"), "a chat line is a publish");
    assertEquals("alice", said.getJsonObject("body").getString("nick"));
    assertEquals("hello bot", said.getJsonObject("body").getString("text"));

    bot.send(frame("unregister", "vxnet.chat.lobby"));
    bot.sync();
    human.send("anyone?");
    human.send("/who"); // answered after the line above went out
    human.expectStartingWith("* in #lobby");
    bot.sync();
    assertFalse(bot.seen().stream().anyMatch(frame -> frame.encode().contains("anyone?")), bot.seen().toString());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aClientAsksWhoIsInARoom() throws Exception {
    start();
    LineClient human = chat();
    human.send("/nick carol");
    human.expectStartingWith("* you are now carol");
    BridgeClient bot = bridge();
    String answers = "vxnet.chat.who.6f1c0d5e-3b1a-4c56-9f0e-1b2d3c4e5f60";
    bot.send(frame("register", answers));
    bot.sync();
    bot.send(frame("publish", "vxnet.chat.lobby").put("body", new JsonObject().put("type", "who").put("replyTo", answers)));
    JsonObject answer = bot.expect(frame -> answers.equals(frame.getString("address")), "answering who");
    assertEquals(new JsonArray().add("carol"), answer.getJsonObject("body").getJsonArray("nicks"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void addressesOutsideThePermittedListsAreRefused() throws Exception {
    start();
    BridgeClient client = bridge();
    client.send(request("vxnet.stats.collect", "r-denied", new JsonObject()));
    JsonObject denied = client.next();
    assertEquals("err", denied.getString("type"));
    assertEquals("access_denied", denied.getString("message"));
    assertEquals("DENIED", denied.getString("code"));
    assertEquals("r-denied", denied.getString("address"), "the refused request is named by its reply address");
    assertEquals("vxnet.stats.collect", denied.getString("sourceAddress"));

    client.send(frame("publish", "some.other.address").put("body", "x"));
    JsonObject publish = client.next();
    assertEquals("access_denied", publish.getString("message"));
    assertNull(publish.getString("address"));
    assertTrue(publish.getString("detail").startsWith("publish to some.other.address is not permitted"), publish.encode());

    // a service takes requests, not publishes; a room takes publishes, not requests
    assertEquals("access_denied", errorAnswering(client, frame("publish", Addresses.STATS)));
    assertEquals("access_denied", errorAnswering(client, frame("send", "vxnet.chat.lobby")));
    assertEquals("access_denied", errorAnswering(client, frame("register", "vxnet.stats.reply.abc")));
    assertEquals("access_denied", errorAnswering(client, frame("register", Addresses.DNS_RESOLVE)));
    client.sync();
    assertEquals(6, node.counters("bridge").getLong("denied"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRequestToAServiceThatIsNotDeployedFailsAtOnceAsUnavailable() throws Exception {
    start();
    BridgeClient client = bridge();
    client.send(request(Addresses.FETCH, "r-fetch", new JsonObject().put("url", "https://127.0.0.1/")));
    JsonObject failed = client.next();
    assertEquals("err", failed.getString("type"));
    assertEquals("r-fetch", failed.getString("address"));
    assertEquals("UNAVAILABLE", failed.getString("code"));
    assertEquals("NO_HANDLERS", failed.getString("failureType"));
    assertEquals(Addresses.FETCH, failed.getString("sourceAddress"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRequestTimesOutAfterTheTimeoutTheClientAskedFor() throws Exception {
    start();
    silentDnsService();
    BridgeClient client = bridge();
    long started = System.nanoTime();
    client.send(request(Addresses.DNS_RESOLVE, "r-slow", new JsonObject().put("name", "example.org"))
      .put("headers", new JsonObject().put("timeout", 300)));
    JsonObject failed = client.next();
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("TIMEOUT", failed.getString("code"), failed.encode());
    assertEquals("r-slow", failed.getString("address"));
    assertEquals("TIMEOUT", failed.getString("failureType"));
    assertTrue(elapsedMs >= 300, "timed out after " + elapsedMs + " ms");

    client.send(request(Addresses.DNS_RESOLVE, "r-long", null).put("headers", new JsonObject().put("timeout", 60_000)));
    JsonObject refused = client.next();
    assertEquals("invalid_frame", refused.getString("message"));
    assertEquals("r-long", refused.getString("address"));
    assertEquals("headers.timeout: expected an integer from 1 to 10000 (milliseconds), got 60000", refused.getString("detail"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void readingStopsWhileTheConnectionHasItsMaximumOfRequestsInFlight() throws Exception {
    start(); // max_pending_requests 2
    silentDnsService();
    BridgeClient client = bridge();
    for (String reply : List.of("r1", "r2", "r3")) {
      client.send(request(Addresses.DNS_RESOLVE, reply, null).put("headers", new JsonObject().put("timeout", 300)));
    }
    client.send(new JsonObject().put("type", "ping"));
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonObject frame = client.next();
      order.add(frame.getString("address", frame.getString("type")));
    }
    assertEquals(List.of("r1", "r2", "pong", "r3"), order, "r3 and the ping wait until r1 and r2 are done");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void badFramesGetAnErrorAndTheConnectionGoesOn() throws Exception {
    start();
    BridgeClient client = bridge();
    client.sendRaw("{not json".getBytes(StandardCharsets.UTF_8));
    JsonObject invalid = client.next();
    assertEquals("invalid_json", invalid.getString("message"));
    assertEquals("BAD_REQUEST", invalid.getString("code"));
    assertTrue(invalid.getString("detail").startsWith("frame payload is not JSON"), invalid.encode());
    assertEquals("unknown_type", errorAnswering(client, new JsonObject().put("type", "rec").put("address", "vxnet.chat.lobby")));
    assertEquals("missing_address", errorAnswering(client, new JsonObject().put("type", "publish")));
    assertEquals("unknown_address", errorAnswering(client, frame("unregister", "vxnet.chat.lobby")));
    client.sync();
    assertEquals(3, node.counters("bridge").getLong("bad_frames"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anOversizeFrameIsRefusedBeforeItIsReadAndTheConnectionClosed() throws Exception {
    start(); // max_frame_bytes 1024
    BridgeClient client = bridge();
    client.sync();
    client.sendBytes(new byte[] {0, 0x10, 0, 0}); // announces 1 MiB; nothing of it is ever sent
    JsonObject tooLarge = client.next();
    assertEquals("frame_too_large", tooLarge.getString("message"));
    assertEquals("TOO_LARGE", tooLarge.getString("code"));
    assertEquals("frame of 1048576 bytes exceeds the limit of 1024 bytes; closing the connection", tooLarge.getString("detail"));
    assertTrue(client.closedByServer());
    assertEquals(1, node.counters("bridge").getLong("oversize_frames"));

    BridgeClient exact = bridge(); // the limit itself is fine
    String json = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1_024 - 24) + "\"}";
    assertEquals(1_024, json.length());
    exact.sendRaw(json.getBytes(StandardCharsets.UTF_8));
    assertEquals("pong", exact.next().getString("type"));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void registrationsPerConnectionAreBounded() throws Exception {
    start(); // max_registrations 3
    BridgeClient client = bridge();
    for (String room : List.of("a", "b", "c", "c")) {
      client.send(frame("register", "vxnet.chat." + room));
    }
    client.sync();
    assertTrue(client.seen().stream().noneMatch(BridgeVerticleTest::isErr), "registering c twice is harmless: " + client.seen());
    client.send(frame("register", "vxnet.chat.d"));
    JsonObject limit = client.next();
    assertEquals("max_handlers_reached", limit.getString("message"));
    assertEquals("LIMIT", limit.getString("code"));
    client.send(frame("unregister", "vxnet.chat.a"));
    client.send(frame("register", "vxnet.chat.d"));
    client.sync();
    assertEquals(3, client.seen().size(), "no error once one is unregistered: " + client.seen());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void connectionsBeyondTheLimitAreToldAndClosed() throws Exception {
    start(new JsonObject().put("max_connections", 1));
    BridgeClient first = bridge();
    first.sync();
    BridgeClient second = bridge();
    JsonObject full = second.next();
    assertEquals("server_full", full.getString("message"));
    assertEquals("UNAVAILABLE", full.getString("code"));
    assertTrue(second.closedByServer());
    first.sync();
    assertEquals(1, node.counters("bridge").getLong("refused"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aClientThatDoesNotReadItsMessagesIsDisconnected() throws Exception {
    start(new JsonObject().put("write_queue_max_bytes", 4_096));
    Socket raw = new Socket();
    raw.setReceiveBufferSize(4_096);
    raw.connect(new InetSocketAddress("127.0.0.1", node.port("bridge")), 5_000);
    raw.setSoTimeout(5_000);
    clients.add(raw);
    DataOutputStream out = new DataOutputStream(raw.getOutputStream());
    for (JsonObject frame : List.of(frame("register", "vxnet.chat.flood"), new JsonObject().put("type", "ping"))) {
      byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
      out.writeInt(json.length);
      out.write(json);
    }
    DataInputStream in = new DataInputStream(raw.getInputStream());
    in.readFully(new byte[in.readInt()]); // the pong: registered; from now on this client reads nothing
    JsonObject line = new JsonObject().put("type", "message").put("nick", "flood").put("text", "x".repeat(8_000));
    Await.result("a slow disconnect", Duration.ofSeconds(30), () -> {
      for (int i = 0; i < 100; i++) {
        node.vertx.eventBus().publish("vxnet.chat.flood", line);
      }
      assertEquals(1, node.counters("bridge").getLong("slow_disconnects"));
      return null;
    });
    Await.result("the connection closed", Duration.ofSeconds(10), () -> {
      assertEquals(0, node.counters("bridge").getLong("open"));
      return null;
    });
  }
}
