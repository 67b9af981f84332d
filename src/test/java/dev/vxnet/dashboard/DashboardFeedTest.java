package dev.vxnet.dashboard;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.support.TestNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event stream of a node in this JVM, read with a real HTTPS client: snapshots once a second while a dashboard is
 * connected and no gathering otherwise; one gather a second per node however many server instances have dashboards;
 * a client that does not read is dropped.
 */
class DashboardFeedTest {

  /** Counts the gathers of the node: every gather publishes one {@code vxnet.stats.collect}. */
  private static List<Long> countGathers(Vertx vertx) throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Addresses.STATS_COLLECT, message -> at.add(System.nanoTime())).completion().await(10, TimeUnit.SECONDS);
    return at;
  }

  private static HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  /** Opens {@code /dashboard/events}; each event's data goes to {@code events}. */
  private static HttpClientResponse open(HttpClient client, int port, BlockingQueue<JsonObject> events) throws Exception {
    StringBuilder pending = new StringBuilder();
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/dashboard/events"))
      .compose(request -> {
        // the handler is set on the event loop as the answer arrives, by a callback attached before the request goes
        // out: set from this thread after send(), the first event could be delivered before it
        Future<HttpClientResponse> answer = request.response().map(response -> response.handler(chunk -> {
          pending.append(chunk.toString(StandardCharsets.UTF_8));
          for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
            String event = pending.substring(0, end);
            pending.delete(0, end + 2);
            if (event.startsWith("data: ")) {
              events.add(new JsonObject(event.substring("data: ".length())));
            }
          }
        }));
        request.end();
        return answer;
      })
      .await(20, TimeUnit.SECONDS);
  }

  /** Waits until no gather starts for {@code quietMs}; fails if gathers go on for {@code deadlineMs}. */
  private static void awaitNoGathers(List<Long> gathers, long quietMs, long deadlineMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
    while (System.nanoTime() < deadline) {
      int seen = gathers.size();
      long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quietMs);
      while (gathers.size() == seen && System.nanoTime() < quietUntil) {
        Thread.sleep(50); // polling a condition with a deadline, not waiting for an event
      }
      if (gathers.size() == seen) {
        return;
      }
    }
    throw new AssertionError("gathers went on for " + deadlineMs + " ms: " + gathers.size());
  }

  @Test
  @Timeout(90)
  void snapshotsComeEverySecondWhileADashboardIsConnectedAndNotOtherwise() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https", "tcp"))) {
      List<Long> gathers = countGathers(node.vertx);
      awaitNoGathers(gathers, 2_500, 10_000);
      assertEquals(0, gathers.size(), "nothing gathers before a dashboard connects");

      HttpClient client = client(node.vertx);
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      HttpClientResponse response = open(client, node.port("https"), events);
      assertEquals(200, response.statusCode());
      assertEquals("text/event-stream; charset=utf-8", response.getHeader("content-type"));
      assertNotNull(response.getHeader("content-security-policy"));

      JsonObject first = events.poll(20, TimeUnit.SECONDS);
      assertNotNull(first, "a snapshot at once");
      String name = first.getString("gathered_by");
      assertEquals("up", first.getJsonArray("roster").getJsonObject(0).getString("state"));
      assertEquals(name, first.getJsonArray("roster").getJsonObject(0).getString("node"));
      assertEquals(1, first.getJsonObject("stats").getInteger("nodes_answered"));
      assertTrue(first.getJsonObject("stats").getJsonObject("totals").containsKey("tcp"), first.encode());
      JsonObject latency = first.getJsonObject("stats").getJsonArray("nodes").getJsonObject(0).getJsonObject("services")
        .getJsonObject("https").getJsonArray("instances").getJsonObject(0).getJsonObject("latency").getJsonObject("request");
      assertTrue(latency.getLong("count") >= 0 && latency.containsKey("p99_ms"), latency.encode());

      JsonObject second = events.poll(20, TimeUnit.SECONDS);
      JsonObject third = events.poll(20, TimeUnit.SECONDS);
      assertNotNull(third, "snapshots keep coming");
      long apart = third.getLong("at_ms") - second.getLong("at_ms");
      assertTrue(apart >= 800 && apart <= 5_000, "one a second (a loaded machine may stretch it): " + apart + " ms");

      response.request().connection().close().await(10, TimeUnit.SECONDS);
      awaitNoGathers(gathers, 2_500, 10_000); // the stream's end stops the ticking
      int after = gathers.size();
      awaitNoGathers(gathers, 2_500, 2_600);
      assertEquals(after, gathers.size(), "no gathering once the last dashboard left");
      client.close();
    }
  }

  @Test
  @Timeout(90)
  void aNodeGathersOnceASecondHoweverManyInstancesHaveDashboards() throws Exception {
    JsonObject config = TestNode.only("https").put("https", new JsonObject().put("instances", 2));
    try (TestNode node = TestNode.start(config)) {
      List<Long> gathers = countGathers(node.vertx);
      List<HttpClient> clients = List.of(client(node.vertx), client(node.vertx), client(node.vertx));
      List<BlockingQueue<JsonObject>> events = List.of(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
      for (int i = 0; i < clients.size(); i++) {
        open(clients.get(i), node.port("https"), events.get(i)); // connections go round the two instances
      }
      for (BlockingQueue<JsonObject> queue : events) {
        for (int i = 0; i < 3; i++) {
          assertNotNull(queue.poll(20, TimeUnit.SECONDS), "every dashboard gets snapshots");
        }
      }
      long from = System.nanoTime();
      int before = gathers.size();
      for (BlockingQueue<JsonObject> queue : events) {
        queue.clear();
      }
      assertNotNull(events.get(0).poll(20, TimeUnit.SECONDS));
      assertNotNull(events.get(0).poll(20, TimeUnit.SECONDS));
      assertNotNull(events.get(0).poll(20, TimeUnit.SECONDS));
      double seconds = (System.nanoTime() - from) / 1e9;
      int count = gathers.size() - before;
      // at most one gather per 0.9 s (SnapshotHub.claimGather), whatever the instances: one more for the edges
      assertTrue(count <= seconds / 0.9 + 1, count + " gathers in " + seconds + " s");
      for (HttpClient client : clients) {
        client.close();
      }
    }
  }

  @Test
  @Timeout(90)
  void aDashboardThatDoesNotReadIsDroppedNotBufferedWithoutEnd() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // snapshots of about 100 KB each: a few fill the socket buffers of a client that does not read
      Context bulk = vertx.getOrCreateContext();
      Promise<Void> registered = Promise.promise();
      bulk.runOnContext(v -> {
        Counters counters = new Counters("bulk");
        for (int i = 0; i < 4_000; i++) {
          counters.counter("counter_with_a_long_name_" + i);
        }
        StatsReporter.register(vertx, counters).onComplete(registered);
      });
      registered.future().await(10, TimeUnit.SECONDS);
      // the node's part, as MainVerticle registers it: its manifest, and the relay of each collection to its instances
      StatsCollector.registerManifest(vertx, new JsonObject().put("bulk", 1)).await(10, TimeUnit.SECONDS);

      Context serverContext = vertx.getOrCreateContext();
      DashboardFeed[] feed = new DashboardFeed[1];
      Promise<HttpServer> listening = Promise.promise();
      serverContext.runOnContext(v -> {
        feed[0] = new DashboardFeed(vertx, 64 * 1024);
        Router router = Router.router(vertx);
        router.get("/dashboard/events").handler(feed[0]::connect);
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onComplete(listening);
      });
      int port = listening.future().await(10, TimeUnit.SECONDS).actualPort();

      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096); // before connecting: a small window that fills at once
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /dashboard/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        AtomicInteger clients = new AtomicInteger(-1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean connected = false;
        while (System.nanoTime() < deadline) {
          Promise<Integer> count = Promise.promise();
          serverContext.runOnContext(v -> count.complete(feed[0].clients()));
          clients.set(count.future().await(10, TimeUnit.SECONDS));
          connected |= clients.get() == 1;
          if (connected && clients.get() == 0) {
            break;
          }
          Thread.sleep(100); // polling the server's state with a deadline
        }
        assertTrue(connected, "the stream was open");
        assertEquals(0, clients.get(), "the server dropped the stream that was not read");
        // what was sent before the drop is there to read, then the connection ends instead of streaming on
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            read += n;
          }
        } catch (SocketTimeoutException e) {
          throw new AssertionError("the connection stayed open after the drop; read " + read + " bytes", e);
        } catch (IOException reset) {
          // a reset is an end too
        }
        assertTrue(read > 0, "the snapshots sent before the drop");
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
