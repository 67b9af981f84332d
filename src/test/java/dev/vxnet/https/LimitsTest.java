package dev.vxnet.https;

import dev.vxnet.bus.StatsCollector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {

  /** What the server sent until it closed the connection, and how long after the connection that was. */
  private record Closed(String received, long afterMs) {
  }

  /**
   * Opens a TLS connection that verifies the server, for raw HTTP/1.1 bytes. Its handlers are set and
   * {@code onConnect} runs on the event loop as the connection completes, so no byte or close is missed.
   */
  private static Future<Closed> session(Vertx vertx, int port, Consumer<NetSocket> onConnect) throws Exception {
    Promise<Closed> closed = Promise.promise();
    WebTests.keep(vertx.createNetClient(new NetClientOptions()
        .setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.get().caPem.toString()))
        .setHostnameVerificationAlgorithm("HTTPS")))
      .connect(port, "127.0.0.1")
      .onFailure(closed::tryFail)
      .onSuccess(socket -> {
        long started = System.nanoTime();
        Buffer received = Buffer.buffer();
        socket.handler(received::appendBuffer);
        socket.closeHandler(v -> closed.tryComplete(
          new Closed(received.toString(StandardCharsets.ISO_8859_1), (System.nanoTime() - started) / 1_000_000)));
        onConnect.accept(socket);
      });
    return closed.future();
  }

  /** A counter of the one https instance; the manifest (MainVerticle's job) lets the collection end as soon as it answers. */
  private static long httpsCounter(Vertx vertx, String name) throws Exception {
    await(StatsCollector.registerManifest(vertx, new JsonObject().put("https", 1)));
    JsonObject stats = await(StatsCollector.collect(vertx, 5_000));
    assertTrue(stats.getBoolean("complete"), stats.encode());
    return stats.getJsonObject("totals").getJsonObject("https").getJsonObject("counters").getLong(name);
  }

  @Test
  void oversizeHeadersGet431(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("max_header_bytes", 2_048)));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    assertEquals(200, await(client.get(port, "127.0.0.1", "/health").putHeader("X-Fits", "a".repeat(1_000)).send()).statusCode());
    HttpResponse<Buffer> tooBig = await(client.get(port, "127.0.0.1", "/health").putHeader("X-Big", "a".repeat(4_000)).send());
    assertEquals(431, tooBig.statusCode());
  }

  @Test
  void oversizeBodiesGet413WithOrWithoutContentLength(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("max_body_bytes", 1_000)));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    assertEquals(200, await(client.post(port, "127.0.0.1", "/api/echo").sendBuffer(Buffer.buffer("a".repeat(1_000)))).statusCode());

    HttpResponse<Buffer> declared = await(client.post(port, "127.0.0.1", "/api/echo").sendBuffer(Buffer.buffer("a".repeat(1_001))));
    assertEquals(413, declared.statusCode());
    assertEquals("REQUEST_ENTITY_TOO_LARGE", declared.bodyAsJsonObject().getJsonObject("error").getString("code"));

    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_1_1, HttpVersion.HTTP_2}) {
      var http = WebTests.keep(vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true).setProtocolVersion(version)
        .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.get().caPem.toString()))));
      HttpClientResponse chunked = await(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(port).setURI("/api/echo"))
        .compose(request -> {
          request.setChunked(true);
          for (int i = 0; i < 20; i++) {
            request.write("b".repeat(100));
          }
          return request.end().compose(v -> request.response());
        }));
      assertEquals(413, chunked.statusCode(), version.toString());
    }
  }

  /**
   * Slowloris: request headers trickled a byte every 50 ms. Each byte resets the 1.5 s idle timeout (generous: it
   * also covers the TLS handshake on a busy machine), so only the header deadline (3 s) can end it, well before the
   * 170-byte head would be complete (8.5 s).
   */
  @Test
  void aConnectionTricklingHeadersIsClosed(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()
      .put("idle_timeout_ms", 1_500).put("header_timeout_ms", 3_000)));
    byte[] head = ("GET /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "z".repeat(120) + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
    AtomicInteger sent = new AtomicInteger();
    Closed result = await(session(vertx, port, socket -> {
      long trickle = vertx.setPeriodic(50, id -> {
        if (sent.get() < head.length) {
          socket.write(Buffer.buffer(new byte[] {head[sent.getAndIncrement()]}));
        }
      });
      socket.endHandler(v -> vertx.cancelTimer(trickle));
    }));
    assertTrue(sent.get() < head.length, "closed only after the headers were complete");
    assertEquals("", result.received(), "no answer to incomplete headers");
    assertTrue(result.afterMs() < 8_000, "closed after " + result.afterMs() + " ms");
    assertEquals(1, httpsCounter(vertx, "header_timeouts"),
      "closed by the header deadline? closed after " + result.afterMs() + " ms, " + sent.get() + " bytes sent");
  }

  @Test
  void aBodyThatStopsArrivingGets408AndTheConnectionIsClosed(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()
      .put("request_timeout_ms", 500).put("echo_max_delay_ms", 100).put("stats_timeout_ms", 100).put("service_timeout_ms", 100).put("httpbin_max_delay_ms", 100)));
    Closed result = await(session(vertx, port,
      socket -> socket.write("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10))));
    assertTrue(result.received().startsWith("HTTP/1.1 408 "), result.received());
    assertTrue(result.received().contains("request body not received within request_timeout_ms"), result.received());
  }

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()
      .put("idle_timeout_ms", 1_500).put("header_timeout_ms", 60_000)));
    Closed result = await(session(vertx, port, socket -> { }));
    assertEquals("", result.received());
    assertTrue(result.afterMs() < 8_000, "closed after " + result.afterMs() + " ms");
    assertEquals(0, httpsCounter(vertx, "header_timeouts"), "closed by the idle timeout");
  }

  @Test
  void aKeptAliveConnectionWithoutANextRequestIsClosedAfterTheHeaderTimeout(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()
      .put("idle_timeout_ms", 60_000).put("header_timeout_ms", 2_000)));
    Closed result = await(session(vertx, port, socket -> socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")));
    assertTrue(result.received().startsWith("HTTP/1.1 200 "), "the request in time is answered: " + result.received());
    assertEquals(1, httpsCounter(vertx, "header_timeouts"));
  }
}
