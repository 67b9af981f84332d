package dev.vxnet.fetch.client;

import dev.vxnet.bus.StatsCollector;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Base64;
import java.util.List;

import static dev.vxnet.fetch.client.FetchFixture.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetch service against real plain-HTTP origins on 127.0.0.1. */
@Timeout(60)
class HttpFetcherVerticleTest extends PlainOriginTestBase {

  @BeforeEach
  void start() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
  }

  private JsonObject get(String url) {
    return fixture.fetch(new JsonObject().put("url", url));
  }

  @Test
  void fetchesATextPageAndDescribesTheResponse() {
    JsonObject reply = get(base + "/hello");
    assertEquals(base + "/hello", reply.getString("url"));
    assertEquals(200, reply.getInteger("status"));
    assertEquals("HTTP/1.1", reply.getString("http_version"));
    assertEquals("text", reply.getString("encoding"));
    assertEquals("hello from origin", reply.getString("body"));
    assertEquals(17, reply.getInteger("bytes"));
    assertEquals("text/plain; charset=utf-8", reply.getJsonObject("headers").getString("content-type"));
    assertEquals("127.0.0.1:" + origin.port(), reply.getString("address"));
    assertEquals(0, reply.getInteger("redirects"));
    assertFalse(reply.getBoolean("reused"), "the first request opens the connection");
    assertTrue(reply.getLong("elapsed_ms") >= 0);
  }

  @Test
  void binaryBodiesTravelAsBase64ByteForByte() {
    JsonObject reply = get(base + "/bytes?n=300");
    assertEquals("base64", reply.getString("encoding"));
    byte[] expected = new byte[300];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) (i * 7 + 200);
    }
    assertArrayEquals(expected, Base64.getDecoder().decode(reply.getString("body")));
    assertEquals(300, reply.getInteger("bytes"));
  }

  @Test
  void theSecondRequestReusesThePooledConnection() {
    assertFalse(get(base + "/hello").getBoolean("reused"));
    assertTrue(get(base + "/hello").getBoolean("reused"));
    assertTrue(get(base + "/hello").getBoolean("reused"));
    assertEquals(1, origin.connections.get(), "the origin saw one connection for three requests");
  }

  @Test
  void countersShowThePoolAndTheOutcomesInStats() {
    get(base + "/hello");
    get(base + "/hello");
    get(base + "/hello");
    get("http://127.0.0.2:" + origin.port() + "/");
    await(StatsCollector.registerManifest(fixture.client, new JsonObject().put("fetch", 1)));
    JsonObject stats = await(StatsCollector.collect(fixture.client, 5_000));
    JsonObject counters = stats.getJsonObject("totals").getJsonObject("fetch").getJsonObject("counters");
    JsonObject expected = new JsonObject().put("requests", 4L).put("ok", 3L).put("failed_denied", 1L)
      .put("connections_opened", 1L).put("connections_open", 1L).put("requests_on_reused_connections", 2L)
      .put("bytes_received", 51L).put("in_flight", 0L);
    assertEquals(expected, only(counters, expected.fieldNames().toArray(String[]::new)));
  }

  @Test
  void withoutKeepAliveEveryRequestOpensAConnection() {
    fixture.reset();
    origin = fixture.plainOrigin();
    fixture.deploy(FetchFixture.config(new JsonObject().put("keep_alive", false)));
    String url = "http://127.0.0.1:" + origin.port() + "/hello";
    for (int i = 0; i < 3; i++) {
      assertFalse(get(url).getBoolean("reused"));
    }
    assertEquals(3, origin.connections.get());
  }

  @Test
  void sendsMethodHeadersAndBody() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/echo?q=1").put("method", "PUT")
      .put("headers", new JsonObject().put("X-Test", "yes").put("Content-Type", "text/plain"))
      .put("body", "cGF5bG9hZA==").put("body_encoding", "base64"));
    JsonObject echo = new JsonObject(reply.getString("body"));
    assertEquals("PUT", echo.getString("method"));
    assertEquals("/echo?q=1", echo.getString("uri"));
    assertEquals("payload", echo.getString("body"));
    assertEquals("yes", echo.getJsonObject("headers").getString("x-test"));
    assertEquals("vxnet-fetch/0.1", echo.getJsonObject("headers").getString("user-agent"));
    assertEquals("127.0.0.1:" + origin.port(), echo.getJsonObject("headers").getString("host"));
  }

  @Test
  void headHasNoBody() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/bytes?n=100").put("method", "HEAD").put("max_bytes", 10));
    assertEquals(200, reply.getInteger("status"), reply.encode());
    assertEquals("100", reply.getJsonObject("headers").getString("content-length"));
    assertEquals(0, reply.getInteger("bytes"));
  }

  @Test
  void followsARedirectChainWithinTheLimit() {
    JsonObject reply = get(base + "/redirect/3");
    assertEquals(200, reply.getInteger("status"), reply.encode());
    assertEquals(base + "/hello", reply.getString("url"));
    assertEquals(4, reply.getInteger("redirects"), "/redirect/3 -> 2 -> 1 -> 0 -> /hello");
    assertEquals("hello from origin", reply.getString("body"));
  }

  @Test
  void refusesARedirectChainBeyondTheLimit() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/redirect/3").put("max_redirects", 3));
    assertEquals("REDIRECTS", code(reply));
    assertTrue(message(reply).startsWith("more than 3 redirects (max_redirects)"),
      reply.encode());
    assertEquals(4, origin.requests.get(), "stopped at the fourth response, before following it");
  }

  @Test
  void returnsTheRedirectItselfWhenNotFollowing() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/redirect/1").put("follow_redirects", false));
    assertEquals(302, reply.getInteger("status"));
    assertEquals("/redirect/0", reply.getJsonObject("headers").getString("location"));
  }

  @ParameterizedTest(name = "{0} after POST continues as {1}")
  @CsvSource({"303, GET, ''", "302, GET, ''", "301, GET, ''", "307, POST, form", "308, POST, form"})
  void redirectsAfterPostFollowWhatBrowsersDo(int status, String method, String body) {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/to?status=" + status + "&location=/echo")
      .put("method", "POST").put("body", "form"));
    JsonObject echo = new JsonObject(reply.getString("body"));
    assertEquals(method, echo.getString("method"));
    assertEquals(body, echo.getString("body"));
  }

  @Test
  void credentialsDoNotFollowARedirectToAnotherOrigin() {
    JsonObject headers = new JsonObject().put("Authorization", "Bearer secret").put("X-Keep", "1");
    JsonObject same = fixture.fetch(new JsonObject().put("url", base + "/to?location=/echo").put("headers", headers));
    assertEquals("Bearer secret", new JsonObject(same.getString("body")).getJsonObject("headers").getString("authorization"));
    String other = "http://allowed.test:" + origin.port() + "/echo";
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/to?location=" + other).put("headers", headers));
    JsonObject echoed = new JsonObject(reply.getString("body")).getJsonObject("headers");
    assertNull(echoed.getString("authorization"), "Authorization must not reach another origin");
    assertEquals("1", echoed.getString("x-keep"));
    assertEquals("allowed.test:" + origin.port(), echoed.getString("host"));
  }

  @Test
  void timesOutAgainstAnOriginThatNeverAnswers() {
    long started = System.nanoTime();
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/hang").put("timeout_ms", 300));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("TIMEOUT", code(reply));
    assertTrue(message(reply).contains("timeout_ms (300 ms)"), reply.encode());
    assertTrue(elapsedMs >= 250 && elapsedMs < 3_000, "answered after " + elapsedMs + " ms");
  }

  @Test
  void refusesABodyDeclaredOverTheLimit() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/bytes?n=5000").put("max_bytes", 1000));
    assertEquals("TOO_LARGE", code(reply));
    assertTrue(message(reply).contains("declares Content-Length 5000"), reply.encode());
  }

  @Test
  void cutsAStreamedBodyAtTheLimit() {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", base + "/stream?n=50000").put("max_bytes", 1000));
    assertEquals("TOO_LARGE", code(reply));
    assertTrue(message(reply).contains("sent more than that"), reply.encode());
    JsonObject exact = fixture.fetch(new JsonObject().put("url", base + "/stream?n=1000").put("max_bytes", 1000));
    assertEquals(1000, exact.getInteger("bytes"), exact.encode());
  }

  @Test
  void aNameThatDoesNotResolveIsADnsError() {
    JsonObject reply = get("http://nowhere.test:" + origin.port() + "/");
    assertEquals("DNS", code(reply));
    assertTrue(fixture.dns.asked().contains("nowhere.test"), "asked the loopback DNS server: " + fixture.dns.asked());
  }

  @Test
  void aClosedPortIsAConnectError() throws IOException {
    // A port bound but not listening refuses connections, and no other process can take it meanwhile
    // (a port closed after use could be taken by any test running on this machine).
    try (Socket holder = new Socket()) {
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      JsonObject reply = get("http://127.0.0.1:" + holder.getLocalPort() + "/");
      assertEquals("CONNECT", code(reply), reply.encode());
      assertTrue(message(reply).contains("cannot connect"), message(reply));
    }
  }

  @Test
  void badRequestsNameTheField() {
    List<Object[]> cases = List.of(
      new Object[] {new JsonObject(), "url: required (a non-empty string)"},
      new Object[] {new JsonObject().put("url", "not a url"), "url: not a valid URL: Illegal character in path at index 3: not a url"},
      new Object[] {new JsonObject().put("url", "/relative"), "url: must be an absolute http:// or https:// URL, got \"/relative\""},
      new Object[] {new JsonObject().put("url", base).put("timeout_ms", 0), "timeout_ms: expected an integer from 1 to 60000, got 0"},
      new Object[] {new JsonObject().put("url", base).put("method", "PATCH"), "method: expected one of GET, HEAD, POST, PUT, DELETE, got \"PATCH\""},
      new Object[] {new JsonObject().put("url", base).put("urll", 1), "urll: unknown field (known: " + String.join(", ", FetchRequest.FIELDS) + ")"});
    for (Object[] c : cases) {
      JsonObject reply = fixture.fetch((JsonObject) c[0]);
      assertEquals("BAD_REQUEST", code(reply), reply.encode());
      assertEquals(c[1], message(reply));
    }
    assertEquals(0, origin.requests.get());
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsABadRequest() {
    JsonObject reply = await(fixture.client.eventBus().<JsonObject>request(dev.vxnet.bus.Addresses.FETCH, "http://x")).body();
    assertEquals("BAD_REQUEST", code(reply));
    assertEquals("expected a JSON object, got String", message(reply));
  }
}
