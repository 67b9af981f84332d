package dev.vxnet.fetch.client;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9 row 12: hosts that browsers and curl read as IPv4 addresses in other notations (octal, hex, short, one
 * number, leading zeros) are refused as BAD_REQUEST naming the rule, before any lookup; a.b.c.d is judged by the
 * SSRF guard as before.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Ipv4NotationTest {

  private static final List<String> NON_CANONICAL = List.of("0177.0.0.1", "0x7f.1", "0x7f.0.0.1", "127.1", "127.0.1",
    "2130706433", "127.000.0.1", "017700000001", "0x7F000001", "127.0.0.1.", "1.2.3.04", "256.0.0.1");

  @Test
  void nonCanonicalIpv4HostsAreRefusedAndNamesAreNot() {
    for (String host : NON_CANONICAL) {
      assertTrue(FetchRequest.nonCanonicalIpv4(host).isPresent(), host);
    }
    for (String host : List.of("127.0.0.1", "10.0.0.1", "0.0.0.0", "255.255.255.255", "example.com", "a1.example",
      "1.2.3.4.example", "0x.example", "v6.example")) {
      assertTrue(FetchRequest.nonCanonicalIpv4(host).isEmpty(), host);
    }
  }

  @Test
  void throughTheHttpApiTheyAre400WithTheRuleBeforeAnyLookup() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https", "fetch").put("http", new JsonObject().put("enabled", false))
      .put("https", new JsonObject().put("tls_engine", "jdk")))) {
      // WebClient reads the whole answer before its future completes: no body handler set after the body has ended.
      WebClient client = WebClient.create(node.vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
      for (String host : NON_CANONICAL) {
        String uri = "/api/fetch?url=" + URLEncoder.encode("http://" + host + "/", StandardCharsets.UTF_8);
        HttpResponse<Buffer> response;
        try {
          response = client.get(node.port("https"), "127.0.0.1", uri).send().await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError(host + ": no answer within 10 s", e);
        }
        String body = response.bodyAsString();
        assertEquals(400, response.statusCode(), host + ": " + body);
        JsonObject error = new JsonObject(body).getJsonObject("error");
        assertEquals("BAD_REQUEST", error.getString("code"), host);
        assertTrue(error.getString("message").contains("four decimal numbers"), host + ": " + error);
      }
      assertEquals(0, node.counters("fetch").getLong("connections_opened", 0L), "nothing was fetched or looked up");
    }
  }
}
