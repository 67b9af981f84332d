package dev.vxnet.https;

import dev.vxnet.web.NoMatchingRoute;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutesTest {

  private static JsonObject error(HttpResponse<Buffer> response) {
    assertEquals("application/json", response.getHeader("content-type"));
    return response.bodyAsJsonObject().getJsonObject("error");
  }

  @Test
  void notFoundIsJsonForApiClientsAndHtmlForOthers(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);

    HttpResponse<Buffer> browser = await(client.get(port, "127.0.0.1", "/no/such/page").putHeader("Accept", "text/html,*/*;q=0.8").send());
    assertEquals(404, browser.statusCode());
    assertEquals("text/html; charset=utf-8", browser.getHeader("content-type"));
    assertTrue(browser.bodyAsString().contains("<h1>404 Not Found</h1>"));

    HttpResponse<Buffer> api = await(client.get(port, "127.0.0.1", "/api/nothing").send());
    assertEquals(404, api.statusCode());
    assertEquals("NOT_FOUND", error(api).getString("code"));

    HttpResponse<Buffer> accepts = await(client.get(port, "127.0.0.1", "/no/such/page").putHeader("Accept", "application/json").send());
    assertEquals(404, accepts.statusCode());
    assertTrue(error(accepts).getString("message").contains("/no/such/page"));
  }

  @Test
  void aWrongMethodGets405WithAllow(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);

    HttpResponse<Buffer> stats = await(client.post(port, "127.0.0.1", "/api/stats").send());
    assertEquals(405, stats.statusCode());
    assertEquals("GET, HEAD", stats.getHeader("allow"));
    assertEquals("METHOD_NOT_ALLOWED", error(stats).getString("code"));

    HttpResponse<Buffer> file = await(client.delete(port, "127.0.0.1", "/index.html").send());
    assertEquals(405, file.statusCode());
    assertEquals("GET, HEAD", file.getHeader("allow"));

    assertEquals(404, await(client.post(port, "127.0.0.1", "/no-such-thing").send()).statusCode(),
      "a path that nothing serves is 404 whatever the method");
  }

  /** Routes that other services mount (as DohRoutes and FetchRoutes will) get 405 with their own methods. */
  @Test
  void routesMountedByOtherServicesGet405Too(Vertx vertx) throws Exception {
    Router router = Router.router(vertx);
    router.post("/api/fetch").handler(ctx -> ctx.end("fetched"));
    router.route("/dns-query").method(HttpMethod.GET).method(HttpMethod.POST).handler(ctx -> ctx.end("dns"));
    router.get("/items/:id").handler(ctx -> ctx.end("item"));
    router.route().handler(ctx -> ctx.next()); // like the static files: matches every path, serves none here
    router.route().handler(new NoMatchingRoute(router));
    int port = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
    WebClient client = WebTests.plainClient(vertx);

    HttpResponse<Buffer> fetch = await(client.get(port, "127.0.0.1", "/api/fetch").send());
    assertEquals(405, fetch.statusCode());
    assertEquals("POST", fetch.getHeader("allow"));
    HttpResponse<Buffer> dns = await(client.delete(port, "127.0.0.1", "/dns-query").send());
    assertEquals("GET, POST", dns.getHeader("allow"));
    HttpResponse<Buffer> item = await(client.put(port, "127.0.0.1", "/items/42").send());
    assertEquals(405, item.statusCode());
    assertEquals("GET", item.getHeader("allow"));
    assertEquals("fetched", await(client.post(port, "127.0.0.1", "/api/fetch").send()).bodyAsString());
    assertEquals(404, await(client.get(port, "127.0.0.1", "/api/other").send()).statusCode());
  }

  @Test
  void echoDescribesTheRequest(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    HttpResponse<Buffer> answer = await(client.put(port, "127.0.0.1", "/api/echo/some/path?a=1&a=2&b=x")
      .putHeader("X-Custom", "yes").sendBuffer(Buffer.buffer("héllo")));
    JsonObject text = answer.bodyAsJsonObject();
    // the documented shape: pretty-printed (Vert.x's encodePrettily, field order kept), one line feed after, UTF-8
    assertEquals(text.encodePrettily() + "\n", new String(answer.body().getBytes(), StandardCharsets.UTF_8));
    assertEquals("application/json", answer.getHeader("content-type"));
    // a character beyond the BMP is written as UTF-8, as encodePrettily's text had it, not as an escaped pair
    HttpResponse<Buffer> emoji = await(client.get(port, "127.0.0.1", "/api/echo?e=%F0%9F%98%80").send());
    String emojiText = new String(emoji.body().getBytes(), StandardCharsets.UTF_8);
    assertEquals(emoji.bodyAsJsonObject().encodePrettily() + "\n", emojiText);
    assertTrue(emojiText.contains("\"e\" : [ \"\uD83D\uDE00\" ]"), emojiText);
    assertEquals("PUT", text.getString("method"));
    assertEquals("/api/echo/some/path", text.getString("path"));
    assertEquals("a=1&a=2&b=x", text.getString("query"));
    assertEquals(2, text.getJsonObject("query_params").getJsonArray("a").size());
    assertEquals("yes", text.getJsonObject("headers").getJsonArray("x-custom").getString(0));
    assertEquals("utf-8", text.getJsonObject("body").getString("encoding"));
    assertEquals("héllo", text.getJsonObject("body").getString("text"));
    assertEquals(6, text.getJsonObject("body").getInteger("bytes"));
    assertEquals("HTTP/1.1", text.getString("http_version"));
    assertEquals("127.0.0.1", text.getJsonObject("client").getString("address"));
    assertEquals("TLSv1.3", text.getJsonObject("tls").getString("protocol"));
    assertTrue(text.getJsonObject("tls").getString("cipher").startsWith("TLS_"));
    assertTrue(text.getJsonObject("served_by").getString("instance").startsWith("https#"));
    assertTrue(text.getJsonObject("served_by").getString("node").length() > 0);

    byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10};
    JsonObject raw = await(client.post(port, "127.0.0.1", "/api/echo").sendBuffer(Buffer.buffer(binary))).bodyAsJsonObject();
    assertEquals("base64", raw.getJsonObject("body").getString("encoding"));
    assertEquals(Base64.getEncoder().encodeToString(binary), raw.getJsonObject("body").getString("base64"));

    // as `curl -d hi` sends it: a form body is the body, never query parameters (nor echo knobs)
    JsonObject form = await(client.post(port, "127.0.0.1", "/api/echo?a=1")
      .putHeader("content-type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("hi&b=2&status=418"))).bodyAsJsonObject();
    assertEquals(new JsonObject().put("a", new JsonArray().add("1")), form.getJsonObject("query_params"));
    assertEquals("hi&b=2&status=418", form.getJsonObject("body").getString("text"));
    assertEquals(200, form.getJsonObject("response").getInteger("status"));
  }

  @Test
  void echoHonoursStatusAndDelayFromQueryOrHeaders(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("echo_max_delay_ms", 2_000)));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);

    HttpResponse<Buffer> teapot = await(client.get(port, "127.0.0.1", "/api/echo?status=418").send());
    assertEquals(418, teapot.statusCode());
    assertEquals(418, teapot.bodyAsJsonObject().getJsonObject("response").getInteger("status"));

    HttpResponse<Buffer> byHeader = await(client.get(port, "127.0.0.1", "/api/echo")
      .putHeader("x-set-response-status-code", "503").send());
    assertEquals(503, byHeader.statusCode());

    long started = System.nanoTime();
    HttpResponse<Buffer> delayed = await(client.get(port, "127.0.0.1", "/api/echo?delay_ms=300&status=201").send());
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(201, delayed.statusCode());
    assertTrue(elapsedMs >= 300, "answered after " + elapsedMs + " ms");

    started = System.nanoTime();
    await(client.get(port, "127.0.0.1", "/api/echo").putHeader("x-set-response-delay-ms", "250").send());
    assertTrue((System.nanoTime() - started) / 1_000_000 >= 250);
  }

  /** Over HTTP/2 a body on a HEAD, 204 or 304 answer would make the client reset the stream. */
  @Test
  void answersWithoutABodyStayWithoutOneOverHttp2(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);
    for (String status : new String[] {"204", "304"}) {
      HttpResponse<Buffer> empty = await(client.get(port, "127.0.0.1", "/api/echo?status=" + status).send());
      assertEquals(Integer.parseInt(status), empty.statusCode());
      assertNull(empty.body());
    }
    for (String path : new String[] {"/no/such/page", "/api/echo", "/api/stats", "/health"}) {
      HttpResponse<Buffer> head = await(client.head(port, "127.0.0.1", path).send());
      assertTrue(head.statusCode() == 200 || head.statusCode() == 404, path);
      assertNull(head.body(), path);
      assertTrue(Integer.parseInt(head.getHeader("content-length")) > 0, path + ": the length a GET would have");
    }
  }

  @Test
  void badKnobsGet400NamingTheParameter(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("echo_max_delay_ms", 2_000)));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    String[][] cases = {
      {"/api/echo?status=600", null, null, "query parameter status"},
      {"/api/echo?status=abc", null, null, "query parameter status"},
      {"/api/echo?status=99", null, null, "query parameter status"},
      {"/api/echo?delay_ms=2001", null, null, "query parameter delay_ms"},
      {"/api/echo?delay_ms=-1", null, null, "query parameter delay_ms"},
      {"/api/echo", "x-set-response-status-code", "1000", "header x-set-response-status-code"},
      {"/api/echo", "x-set-response-delay-ms", "soon", "header x-set-response-delay-ms"},
    };
    for (String[] c : cases) {
      HttpRequest<Buffer> request = client.get(port, "127.0.0.1", c[0]);
      if (c[1] != null) {
        request.putHeader(c[1], c[2]);
      }
      HttpResponse<Buffer> response = await(request.send());
      assertEquals(400, response.statusCode(), c[0]);
      JsonObject error = error(response);
      assertEquals("BAD_REQUEST", error.getString("code"));
      assertTrue(error.getString("message").startsWith(c[3]), error.getString("message"));
    }
  }

  @Test
  void plainHttpRedirectsToHttpsExceptHealth(Vertx vertx) throws Exception {
    int httpsPort = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    int httpPort = WebTests.deployHttp(vertx, new JsonObject().put("redirect_port", httpsPort));
    WebClient plain = WebTests.plainClient(vertx);

    HttpResponse<Buffer> get = await(plain.get(httpPort, "127.0.0.1", "/api/echo?x=1").send());
    assertEquals(301, get.statusCode());
    assertEquals("https://127.0.0.1:" + httpsPort + "/api/echo?x=1", get.getHeader("location"));
    HttpResponse<Buffer> post = await(plain.post(httpPort, "127.0.0.1", "/api/echo").sendBuffer(Buffer.buffer("x")));
    assertEquals(308, post.statusCode(), "a redirect that keeps the method and body");
    HttpResponse<Buffer> health = await(plain.get(httpPort, "127.0.0.1", "/health").send());
    assertEquals(200, health.statusCode());
    assertEquals("UP", health.bodyAsJsonObject().getString("status"));

    HttpResponse<Buffer> followed = await(WebTests.client(vertx, HttpVersion.HTTP_1_1).getAbs(get.getHeader("location")).send());
    assertEquals(200, followed.statusCode());
  }

  @Test
  void withRedirectOffPlainHttpServesTheApplication(Vertx vertx) throws Exception {
    int port = WebTests.deployHttp(vertx, new JsonObject().put("redirect", false));
    HttpResponse<Buffer> echo = await(WebTests.plainClient(vertx).get(port, "127.0.0.1", "/api/echo").send());
    assertEquals(200, echo.statusCode());
    assertNull(echo.bodyAsJsonObject().getValue("tls"));
    assertTrue(echo.bodyAsJsonObject().getJsonObject("served_by").getString("instance").startsWith("http#"));
  }
}
