package dev.vxnet.https;

import dev.vxnet.support.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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
  private static WebClient client;

  private record Answer(int status, String contentType, String body) {
  }

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("https").put("https", new JsonObject().put("max_body_bytes", SERVER_LIMIT)));
    // WebClient reads the whole answer before its future completes: no body handler set after the body has ended.
    client = WebClient.create(node.vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    node.close();
  }

  private Answer post(String uri, String contentType, int bytes) throws Exception {
    Buffer body = Buffer.buffer(new byte[bytes]);
    HttpResponse<Buffer> response = client.request(HttpMethod.POST, node.port("https"), "127.0.0.1", uri)
      .putHeader("content-type", contentType).sendBuffer(body).await(20, TimeUnit.SECONDS);
    return new Answer(response.statusCode(), response.getHeader("content-type"), response.bodyAsString());
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
