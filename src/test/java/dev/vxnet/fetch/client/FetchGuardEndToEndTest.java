package dev.vxnet.fetch.client;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SSRF guard end to end, with loopback addresses only: 127.0.0.1 is allowlisted, 127.0.0.2 (and names and
 * redirects that lead to it, and ::1) must be refused before any connection. Were the guard broken, these requests
 * would still only reach loopback.
 */
@Timeout(60)
class FetchGuardEndToEndTest extends PlainOriginTestBase {

  private void assertDenied(String url, String rule, String messagePart) {
    JsonObject reply = fixture.fetch(new JsonObject().put("url", url));
    JsonObject error = reply.getJsonObject("error");
    assertEquals("DENIED", error == null ? reply.encode() : error.getString("code"), url);
    assertEquals(rule, error.getString("rule"), url);
    assertTrue(error.getString("message").contains(messagePart), error.getString("message"));
  }

  @Test
  void refusesLoopbackAddressesThatAreNotAllowlisted() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    assertEquals(200, fixture.fetch(new JsonObject().put("url", "http://127.0.0.1:" + port + "/hello")).getInteger("status"));
    assertDenied("http://127.0.0.2:" + port + "/hello", "loopback 127.0.0.0/8",
      "http://127.0.0.2:" + port + "/hello: 127.0.0.2 is in loopback 127.0.0.0/8: refused by the SSRF guard");
    assertDenied("http://[::1]:" + port + "/hello", "loopback ::1/128", "::1 is in loopback ::1/128");
    assertDenied("http://[::ffff:127.0.0.2]:" + port + "/hello", "loopback 127.0.0.0/8", "127.0.0.2 is in loopback");
    assertDenied("http://0.0.0.0:" + port + "/hello", "unspecified 0.0.0.0/8", "0.0.0.0 is in unspecified");
    assertEquals(1, origin.requests.get(), "only the allowlisted request reached the origin");
  }

  @Test
  void refusesANameThatResolvesToADeniedAddress() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    assertDenied("http://internal.test:" + port + "/hello", "loopback 127.0.0.0/8",
      "host internal.test resolves to 127.0.0.2, which is in loopback 127.0.0.0/8");
    assertEquals(List.of(), fixture.dns.asked(), "the name came from the hosts mapping, not from DNS");
    assertEquals(0, origin.requests.get());
  }

  @Test
  void refusesARedirectToADeniedAddressOrName() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    String start = "http://127.0.0.1:" + port + "/to?location=";
    assertDenied(start + "http://127.0.0.2:" + port + "/hello", "loopback 127.0.0.0/8",
      "redirect 1: http://127.0.0.2:" + port + "/hello: 127.0.0.2 is in loopback");
    assertDenied(start + "http://internal.test:" + port + "/hello", "loopback 127.0.0.0/8",
      "redirect 1: http://internal.test:" + port + "/hello: host internal.test resolves to 127.0.0.2");
    assertDenied(start + "http://%5B::1%5D:" + port + "/hello", "loopback ::1/128", "::1 is in loopback ::1/128");
    assertEquals(3, origin.requests.get(), "the origin saw the three redirecting requests and nothing after them");
  }

  @Test
  void refusesSchemesOtherThanHttpAndHttps() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    assertDenied("ftp://127.0.0.1:" + port + "/", "scheme", "url: scheme ftp is not allowed (only http and https)");
    assertDenied("file:///etc/passwd", "scheme", "scheme file is not allowed");
    assertDenied("http://127.0.0.1:" + port + "/to?location=file:///etc/passwd", "scheme",
      "redirect 1: Location file:///etc/passwd: scheme file is not allowed");
    assertDenied("http://127.0.0.1:" + port + "/to?location=gopher://127.0.0.1:" + port + "/", "scheme", "scheme gopher");
  }

  @Test
  void withoutAnAllowlistEvenLoopbackIsRefused() {
    fixture.deploy(new JsonObject());
    assertDenied("http://127.0.0.1:" + port + "/hello", "loopback 127.0.0.0/8", "127.0.0.1 is in loopback");
    assertDenied("http://allowed.test:" + port + "/hello", "loopback 127.0.0.0/8", "host allowed.test resolves to 127.0.0.1");
    assertEquals(0, origin.requests.get());
  }

  @Test
  void anAllowlistedHostNameOpensThatNameOnly() {
    fixture.deploy(new JsonObject().put("allow", List.of("byname.test")));
    JsonObject reply = fixture.fetch(new JsonObject().put("url", "http://byname.test:" + port + "/hello"));
    assertEquals(200, reply.getInteger("status"), reply.encode());
    assertEquals("127.0.0.1:" + port, reply.getString("address"));
    assertDenied("http://allowed.test:" + port + "/hello", "loopback 127.0.0.0/8", "host allowed.test resolves to 127.0.0.1");
    assertDenied("http://127.0.0.1:" + port + "/hello", "loopback 127.0.0.0/8", "127.0.0.1 is in loopback");
    assertDenied("http://byname.test:" + port + "/to?location=http://127.0.0.1:" + port + "/hello", "loopback 127.0.0.0/8",
      "redirect 1: http://127.0.0.1:" + port + "/hello: 127.0.0.1 is in loopback");
  }
}
