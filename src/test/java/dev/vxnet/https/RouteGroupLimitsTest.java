package dev.vxnet.https;

import dev.vxnet.support.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each route group's body limit holds in the real application (MainVerticle, Services.ROUTES, the HTTPS server), not
 * only on a test router: with {@code https.max_body_bytes} at 4 MiB, /api/echo takes 2 MiB while /api/fetch (1 MiB),
 * /dns-query (65535 bytes) and the SockJS bridge's xhr transport (64 KiB) refuse more than their own limit. Before
 * route groups, the application's body handler ran first and vertx-web skipped the groups' own: /api/fetch read a
 * body over its limit whole and answered 400, /dns-query checked its size by hand (400's code BAD_REQUEST).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RouteGroupLimitsTest {

  private static final int SERVER_LIMIT = 4 << 20;

  private static TestNode node;
  private static HttpClient client;

  private record Answer(int status, String contentType, String body) {
  }

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("https").put("https", new JsonObject().put("max_body_bytes", SERVER_LIMIT)));
    client = node.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close().await(20, TimeUnit.SECONDS);
    node.close();
  }

  private Answer post(String uri, String contentType, int bytes) throws Exception {
    Buffer body = Buffer.buffer(new byte[bytes]);
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(node.port("https")).setURI(uri)
        .putHeader("content-type", contentType))
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(content -> new Answer(response.statusCode(), response.getHeader("content-type"),
        content.toString())))
      .await(20, TimeUnit.SECONDS);
  }

  private static String code(Answer answer) {
    return new JsonObject(answer.body()).getJsonObject("error").getString("code");
  }

  @Test
  void theServersLimitAppliesToItsOwnRoutes() throws Exception {
    assertEquals(200, post("/api/echo", "application/octet-stream", 2 << 20).status());
  }

  @Test
  void fetchRefusesMoreThanItsOwnLimit() throws Exception {
    Answer answer = post("/api/fetch", "application/json", (1 << 20) + 1);
    assertEquals(413, answer.status(), answer.body());
    assertEquals("REQUEST_ENTITY_TOO_LARGE", code(answer));
  }

  @Test
  void dohRefusesMoreThanADnsMessageWithAJsonError() throws Exception {
    Answer answer = post("/dns-query", "application/dns-message", 65_536);
    assertEquals(413, answer.status(), answer.body());
    assertEquals("application/json", answer.contentType(), "DoH errors are JSON whatever the client accepts");
    assertEquals("REQUEST_ENTITY_TOO_LARGE", code(answer));
  }

  @Test
  void theEventBusBridgeKeepsItsFrameLimit() throws Exception {
    assertEquals(413, post("/eventbus/000/session1/xhr_send", "application/json", 65_537).status());
  }
}
