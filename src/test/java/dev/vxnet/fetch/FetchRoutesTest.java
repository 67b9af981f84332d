package dev.vxnet.fetch;

import dev.vxnet.fetch.client.FetchFixture;
import dev.vxnet.fetch.client.PlainOriginTestBase;
import dev.vxnet.support.WebMount;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.vxnet.fetch.client.FetchFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET/POST /api/fetch mounted on a real HTTP server, called by a real HTTP client, the fetcher behind the event bus. */
@Timeout(60)
class FetchRoutesTest extends PlainOriginTestBase {

  private static final long SERVICE_TIMEOUT_MS = 2_000;

  private static HttpServer api;
  private static WebClient caller;
  private record Answer(int status, JsonObject body) {
  }

  @BeforeAll
  static void startApi() {
    Router router = WebMount.router(fixture.client, FetchRoutes.ROUTES, new JsonObject().put("service_timeout_ms", SERVICE_TIMEOUT_MS));
    api = await(fixture.client.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    caller = WebClient.create(fixture.internet);
  }

  @AfterAll
  static void stopApi() {
    caller.close();
    await(api.close());
  }

  private Answer call(HttpMethod method, String uri, String body) {
    // WebClient reads the whole answer before the future completes: no body handler set after the body has ended.
    var request = caller.request(method, api.actualPort(), "127.0.0.1", uri);
    var response = await(body == null ? request.send() : request.sendBuffer(Buffer.buffer(body)));
    assertEquals("application/json", response.getHeader("content-type"));
    return new Answer(response.statusCode(), response.bodyAsJsonObject());
  }

  private Answer get(String query) {
    return call(HttpMethod.GET, "/api/fetch?" + query, null);
  }

  private static String encoded(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  private static String message(Answer answer) {
    return answer.body().getJsonObject("error").getString("message");
  }

  @Test
  void getFetchesAnAllowedUrlAndRefusesALoopbackOneThatIsNot() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    Answer ok = get("url=" + encoded(base + "/hello"));
    assertEquals(200, ok.status());
    assertEquals("hello from origin", ok.body().getString("body"));
    Answer denied = get("url=" + encoded("http://127.0.0.2:" + origin.port() + "/hello"));
    assertEquals(403, denied.status());
    assertEquals("DENIED", denied.body().getJsonObject("error").getString("code"));
    assertEquals("loopback 127.0.0.0/8", denied.body().getJsonObject("error").getString("rule"));
  }

  @Test
  void getTakesTheLimitsAsQueryParameters() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    Answer tooLarge = get("url=" + encoded(base + "/bytes?n=100") + "&max_bytes=10");
    assertEquals(502, tooLarge.status());
    assertEquals("TOO_LARGE", tooLarge.body().getJsonObject("error").getString("code"));
    Answer timeout = get("url=" + encoded(base + "/hang") + "&timeout_ms=200");
    assertEquals(504, timeout.status());
    assertTrue(message(timeout).endsWith("within timeout_ms (200 ms)"), message(timeout));
    Answer notFollowed = get("url=" + encoded(base + "/redirect/1") + "&follow_redirects=false");
    assertEquals(302, notFollowed.body().getInteger("status"));
  }

  @Test
  void badQueriesAre400NamingTheParameter() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    List<Object[]> cases = List.of(
      new Object[] {"", "url: required query parameter (GET /api/fetch?url=https://example.com/)"},
      new Object[] {"url=x&url=y", "url: given 2 times, expected once"},
      new Object[] {"url=" + encoded(base) + "&timeout_ms=soon", "timeout_ms: expected a non-negative integer, got \"soon\""},
      new Object[] {"url=" + encoded(base) + "&follow_redirects=1", "follow_redirects: expected true or false, got \"1\""},
      new Object[] {"url=" + encoded(base) + "&method=POST",
        "method: unknown query parameter (known: url, timeout_ms, max_bytes, follow_redirects, max_redirects)"},
      new Object[] {"url=" + encoded("ftp://127.0.0.1/"), "url: scheme ftp is not allowed (only http and https)"},
      new Object[] {"url=" + encoded(base) + "&timeout_ms=0", "timeout_ms: expected an integer from 1 to 60000, got 0"});
    for (Object[] c : cases) {
      Answer answer = get((String) c[0]);
      assertEquals(c[1], message(answer));
      assertEquals(c[1].toString().contains("scheme") ? 403 : 400, answer.status(), c[0].toString());
    }
  }

  @Test
  void postTakesOneRequestOrABatchAnsweredInOrder() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    Answer one = call(HttpMethod.POST, "/api/fetch", new JsonObject().put("url", base + "/echo").put("method", "POST")
      .put("body", "ping").encode());
    assertEquals(200, one.status());
    assertEquals("ping", new JsonObject(one.body().getString("body")).getString("body"));
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 20; i++) {
      requests.add(new JsonObject().put("url", i == 7 ? "http://internal.test:" + origin.port() + "/" : base + "/slow?ms=5&i=" + i));
    }
    Answer batch = call(HttpMethod.POST, "/api/fetch", new JsonObject().put("requests", requests).put("concurrency", 4).encode());
    assertEquals(200, batch.status());
    JsonArray results = batch.body().getJsonArray("results");
    for (int i = 0; i < 20; i++) {
      if (i == 7) {
        assertEquals("DENIED", results.getJsonObject(i).getJsonObject("error").getString("code"));
      } else {
        assertEquals("slow " + i, results.getJsonObject(i).getString("body"));
      }
    }
    assertEquals(new JsonObject().put("requests", 20).put("ok", 19).put("failed", 1).put("concurrency", 4),
      only(batch.body().getJsonObject("totals"), "requests", "ok", "failed", "concurrency"));
    assertTrue(origin.maxInFlight.get() <= 4, "in flight: " + origin.maxInFlight.get());
  }

  @Test
  void badBodiesAre400NamingTheField() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    Answer notJson = call(HttpMethod.POST, "/api/fetch", "url=http://x");
    assertEquals(400, notJson.status());
    assertTrue(message(notJson).startsWith("body: expected a JSON object"), message(notJson));
    Answer array = call(HttpMethod.POST, "/api/fetch", "[1]");
    assertEquals(400, array.status());
    Answer badConcurrency = call(HttpMethod.POST, "/api/fetch",
      new JsonObject().put("requests", new JsonArray().add(new JsonObject().put("url", base))).put("concurrency", 0).encode());
    assertEquals(400, badConcurrency.status());
    assertEquals("concurrency: expected an integer from 1 to 64, got 0", message(badConcurrency));
  }

  @Test
  void aBatchSlowerThanTheServiceTimeoutStillAnswersWithItsFinishedResults() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    JsonArray requests = new JsonArray().add(new JsonObject().put("url", base + "/hello")).add(new JsonObject().put("url", base + "/hang"));
    long started = System.nanoTime();
    Answer batch = call(HttpMethod.POST, "/api/fetch", new JsonObject().put("requests", requests).encode());
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(200, batch.status(), batch.body().encode());
    JsonArray results = batch.body().getJsonArray("results");
    assertEquals("hello from origin", results.getJsonObject(0).getString("body"));
    assertEquals("TIMEOUT", results.getJsonObject(1).getJsonObject("error").getString("code"));
    assertTrue(message(new Answer(0, results.getJsonObject(1))).endsWith("within the batch's reply_within_ms"),
      results.getJsonObject(1).encode());
    assertTrue(elapsedMs < SERVICE_TIMEOUT_MS + 500, "answered after " + elapsedMs + " ms");
  }

  @Test
  void withoutAFetcherTheApiSaysSo() {
    Answer answer = get("url=" + encoded(base + "/hello"));
    assertEquals(503, answer.status());
    assertEquals("UNAVAILABLE", answer.body().getJsonObject("error").getString("code"));
  }
}
