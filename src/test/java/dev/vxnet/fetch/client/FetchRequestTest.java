package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Request validation without a network: every problem is a coded error naming the field. */
class FetchRequestTest {

  private static final FetchLimits LIMITS = FetchSettings.SECTION.read(new JsonObject()).limits();

  private static void assertRefused(String code, String message, JsonObject request) {
    FetchException e = assertThrows(FetchException.class, () -> FetchRequest.parse(request, "requests[7].", LIMITS));
    assertEquals(code, e.code().name());
    assertEquals(message, e.getMessage());
  }

  private static JsonObject url(String url) {
    return new JsonObject().put("url", url);
  }

  @Test
  void defaultsComeFromTheConfiguration() {
    FetchRequest request = FetchRequest.parse(url("https://example.com"), "", LIMITS);
    assertEquals("https://example.com", request.url().toString());
    assertEquals(HttpMethod.GET, request.method());
    assertEquals(10_000, request.timeoutMs());
    assertEquals(1 << 20, request.maxBytes());
    assertEquals(5, request.maxRedirects());
    assertEquals(true, request.followRedirects());
    assertNull(request.body());
  }

  @Test
  void requestsMayLowerTheLimitsButNotRaiseThem() {
    FetchRequest request = FetchRequest.parse(url("http://example.com/").put("timeout_ms", 60_000).put("max_bytes", 0)
      .put("max_redirects", 0).put("method", "post").put("body", "x").put("headers",
        new JsonObject().put("Accept", "text/html").put("X-Many", new JsonArray().add("a").add("b"))), "", LIMITS);
    assertEquals(60_000, request.timeoutMs());
    assertEquals(HttpMethod.POST, request.method());
    assertEquals(List.of(Map.entry("Accept", "text/html"), Map.entry("X-Many", "a"), Map.entry("X-Many", "b")), request.headers());
    assertRefused("BAD_REQUEST", "requests[7].timeout_ms: expected an integer from 1 to 60000, got 60001",
      url("http://example.com/").put("timeout_ms", 60_001));
    assertRefused("BAD_REQUEST", "requests[7].max_bytes: expected an integer from 0 to 16777216, got 16777217",
      url("http://example.com/").put("max_bytes", (16 << 20) + 1));
    assertRefused("BAD_REQUEST", "requests[7].max_redirects: expected an integer from 0 to 5, got 6",
      url("http://example.com/").put("max_redirects", 6));
    assertRefused("BAD_REQUEST", "requests[7].timeout_ms: expected an integer from 1 to 60000, got 1.5",
      url("http://example.com/").put("timeout_ms", 1.5));
    assertRefused("BAD_REQUEST", "requests[7].follow_redirects: expected true or false, got \"yes\"",
      url("http://example.com/").put("follow_redirects", "yes"));
  }

  @Test
  void urlsMustBeAbsoluteHttpWithAHostAndNoCredentials() {
    assertRefused("BAD_REQUEST", "requests[7].url: required (a non-empty string)", new JsonObject());
    assertRefused("BAD_REQUEST", "requests[7].url: expected a string, got 42", new JsonObject().put("url", 42));
    assertRefused("DENIED", "requests[7].url: scheme javascript is not allowed (only http and https)", url("javascript:alert(1)"));
    assertRefused("BAD_REQUEST", "requests[7].url: no valid host in \"http:///etc/passwd\"", url("http:///etc/passwd"));
    assertRefused("BAD_REQUEST", "requests[7].url: no valid host in \"http://under_score.example/\"", url("http://under_score.example/"));
    assertRefused("BAD_REQUEST", "requests[7].url: credentials in the URL are not accepted; send an Authorization header",
      url("http://allowed.test@127.0.0.2/"));
    assertRefused("BAD_REQUEST", "requests[7].url: port must be 1 to 65535, got 0", url("http://example.com:0/"));
    assertRefused("BAD_REQUEST", "requests[7].url: port must be 1 to 65535, got 70000", url("http://example.com:70000/"));
    assertRefused("BAD_REQUEST", "requests[7].url: longer than 8192 characters", url("http://example.com/" + "a".repeat(8192)));
  }

  @Test
  void headersAndBodiesAreChecked() {
    assertRefused("BAD_REQUEST", "requests[7].headers.Host: set by the fetcher itself, not accepted from requests",
      url("http://example.com/").put("headers", new JsonObject().put("Host", "internal")));
    assertRefused("BAD_REQUEST", "requests[7].headers.Transfer-Encoding: set by the fetcher itself, not accepted from requests",
      url("http://example.com/").put("headers", new JsonObject().put("Transfer-Encoding", "chunked")));
    assertRefused("BAD_REQUEST", "requests[7].headers.X-A: expected a string (or a list of strings) without CR, LF or NUL",
      url("http://example.com/").put("headers", new JsonObject().put("X-A", "a\r\nX-Injected: 1")));
    assertRefused("BAD_REQUEST", "requests[7].headers.X-A: expected a string (or a list of strings) without CR, LF or NUL",
      url("http://example.com/").put("headers", new JsonObject().put("X-A", 1)));
    assertRefused("BAD_REQUEST", "requests[7].headers: \"Bad Name\" is not a valid header name",
      url("http://example.com/").put("headers", new JsonObject().put("Bad Name", "x")));
    assertRefused("BAD_REQUEST", "requests[7].headers: expected an object of name: value (or name: [values])",
      url("http://example.com/").put("headers", "X-A: 1"));
    assertRefused("BAD_REQUEST", "requests[7].body: not accepted with GET; use POST, PUT or DELETE",
      url("http://example.com/").put("body", "x"));
    assertRefused("BAD_REQUEST", "requests[7].body: not valid base64 (Illegal base64 character 21)",
      url("http://example.com/").put("method", "PUT").put("body", "!!").put("body_encoding", "base64"));
    assertRefused("BAD_REQUEST", "requests[7].body_encoding: expected text or base64, got \"hex\"",
      url("http://example.com/").put("method", "PUT").put("body", "00").put("body_encoding", "hex"));
  }

  @Test
  void aDefaultAboveItsCeilingIsAConfigurationError() {
    ConfigException e = assertThrows(ConfigException.class, () -> FetchSettings.SECTION.read(
      new JsonObject().put("timeout_ms", 5000).put("max_timeout_ms", 1000).put("response_bytes", 10).put("max_response_bytes", 5)));
    assertEquals(List.of("fetch.timeout_ms: 5000 is above fetch.max_timeout_ms (1000)",
      "fetch.response_bytes: 10 is above fetch.max_response_bytes (5)"), e.problems());
  }
}
