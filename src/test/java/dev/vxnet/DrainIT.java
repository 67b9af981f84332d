package dev.vxnet;

import dev.vxnet.support.Await;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 row 14, the documented drain: SIGTERM while four clients stream to the TCP echo and an HTTP request is in
 * flight. The node stops accepting, every byte a client sent comes back before its connection ends cleanly (no
 * reset), the HTTP request gets its whole answer, and the process exits 0.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DrainIT {

  private static final Duration START = Duration.ofSeconds(60);

  /** One streaming client: a writer that sends until told to stop, a reader that counts what comes back until EOF. */
  private static final class Streamer {
    final Socket socket;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();
    final CompletableFuture<Void> writer;
    final CompletableFuture<String> reader;

    Streamer(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[16 * 1024];
      writer = CompletableFuture.runAsync(() -> {
        try {
          while (!stop.get()) {
            out.write(chunk);
            sent.addAndGet(chunk.length);
          }
        } catch (IOException e) {
          throw new IllegalStateException("write failed after " + sent.get() + " bytes", e);
        }
      });
      reader = CompletableFuture.supplyAsync(() -> {
        byte[] buffer = new byte[64 * 1024];
        try {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            received.addAndGet(n);
          }
          return "eof";
        } catch (IOException e) {
          return "error: " + e;
        }
      });
    }
  }

  @Test
  void sigtermDrainsEchoStreamsAndHttpExchangesThenExitsZero() throws Exception {
    JsonObject config = new JsonObject()
      // no lame-duck time: this is the drain's test (ObservabilityIT has the lame duck's), in flight at SIGTERM
      .put("node", new JsonObject().put("shutdown_timeout_ms", 8_000).put("lame_duck_ms", 0))
      .put("tcp", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("redirect", false))
      .put("https", new JsonObject().put("enabled", false))
      .put("udp", new JsonObject().put("enabled", false))
      .put("chat", new JsonObject().put("enabled", false))
      .put("bridge", new JsonObject().put("enabled", false))
      .put("dns", new JsonObject().put("enabled", false))
      .put("fetch", new JsonObject().put("enabled", false));
    try (VxnetProcess vxnet = VxnetProcess.start("drain", List.of(), List.of("-conf", config.encode()), Map.of())) {
      int tcp = vxnet.port("tcp", START);
      int http = vxnet.port("http", START);
      vxnet.awaitLine("node \\S+: started", START);

      List<Streamer> streamers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        streamers.add(new Streamer(tcp));
      }
      for (Streamer streamer : streamers) {
        while (streamer.received.get() < 256 * 1024) { // every stream is flowing
          assertTrue(!streamer.reader.isDone(), "stream ended early: " + streamer.reader.getNow(""));
          Thread.onSpinWait();
        }
      }
      Socket slow = new Socket("127.0.0.1", http);
      slow.setSoTimeout(30_000);
      slow.getOutputStream().write(("GET /api/echo?delay_ms=1500 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      awaitRequestSeen(http);

      vxnet.terminate();
      vxnet.awaitLine("SIGTERM received: draining", Duration.ofSeconds(10));
      streamers.forEach(streamer -> streamer.stop.set(true));
      for (Streamer streamer : streamers) {
        streamer.writer.get(30, TimeUnit.SECONDS);
      }
      // The line is written as the drain begins; the listeners close a moment later (on io_uring their close is a
      // completion like any other), so a connection may still be taken in that moment, but not once they are closed.
      Await.refusing(tcp, Duration.ofSeconds(5)); // no new connections while draining

      String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertTrue(answer.startsWith("HTTP/1.1 200"), "the request in flight got its answer: " + answer);
      assertTrue(answer.contains("\"delay_ms\" : 1500"), answer);
      for (Streamer streamer : streamers) {
        assertEquals("eof", streamer.reader.get(30, TimeUnit.SECONDS), "closed cleanly, not reset");
        assertEquals(streamer.sent.get(), streamer.received.get(), "every byte sent came back");
        streamer.socket.close();
      }
      slow.close();
      assertEquals(0, vxnet.exitCode(Duration.ofSeconds(30)), vxnet.output());
    }
  }

  /** Until the HTTP server has counted a request besides the stats requests made here. */
  private static void awaitRequestSeen(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int asked = 1; System.nanoTime() < deadline; asked++) {
      try (Socket stats = new Socket("127.0.0.1", port)) {
        stats.setSoTimeout(10_000);
        stats.getOutputStream().write("GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
        String response = new String(stats.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        JsonObject body = new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
        long requests = body.getJsonObject("totals").getJsonObject("http").getJsonObject("counters").getLong("requests");
        if (requests > asked) {
          return;
        }
      }
    }
    throw new AssertionError("the delayed request never reached the server");
  }
}
