package dev.vxnet.fetch.client;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTPS origins with a self-signed certificate for {@code allowed.test}, offering HTTP/2 by ALPN. */
@Timeout(60)
class FetchTlsTest extends FetchTestBase {

  private Origin origin;
  private String url;

  @BeforeEach
  void start() {
    origin = fixture.tlsOrigin("allowed.test");
    url = "https://allowed.test:" + origin.port() + "/hello";
  }

  private JsonObject get(String target) {
    return fixture.fetch(new JsonObject().put("url", target));
  }

  @Test
  void aSelfSignedOriginIsRefusedByDefault() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    JsonObject reply = get(url);
    assertEquals("TLS", code(reply));
    assertTrue(message(reply).startsWith("https://allowed.test:" + origin.port()
      + ": TLS handshake failed"), reply.encode());
    assertEquals(0, origin.requests.get());
  }

  @Test
  void itsCaConfiguredTheOriginIsAcceptedOverHttp2() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", origin.certificateFile())));
    JsonObject reply = get(url);
    assertEquals(200, reply.getInteger("status"), reply.encode());
    assertEquals("HTTP/2", reply.getString("http_version"));
    assertEquals("hello from origin", reply.getString("body"));
    assertEquals("127.0.0.1:" + origin.port(), reply.getString("address"), "connected to the checked address");
  }

  @Test
  void theHostNameIsVerifiedAgainstTheCertificate() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", origin.certificateFile())));
    JsonObject reply = get("https://127.0.0.1:" + origin.port() + "/hello");
    assertEquals("TLS", code(reply), "the certificate names allowed.test, not 127.0.0.1");
  }

  @Test
  void sendsTheUrlHostAsAuthorityAndSni() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", origin.certificateFile())
      .put("http2_multiplexing", false)));
    JsonObject reply = get("https://allowed.test:" + origin.port() + "/echo");
    assertEquals("HTTP/1.1", reply.getString("http_version"));
    JsonObject echo = new JsonObject(reply.getString("body"));
    assertEquals("allowed.test:" + origin.port(), echo.getJsonObject("headers").getString("host"));
  }

  @Test
  void http2MultiplexesABatchOverOneConnection() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", origin.certificateFile())));
    List<JsonObject> requests = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      requests.add(new JsonObject().put("url", "https://allowed.test:" + origin.port() + "/slow?ms=20&i=" + i));
    }
    JsonObject reply = fixture.batch(new JsonObject().put("requests", requests).put("concurrency", 10));
    assertEquals(50, reply.getJsonObject("totals").getInteger("ok"), reply.getJsonObject("totals").encode());
    for (int i = 0; i < 50; i++) {
      JsonObject result = reply.getJsonArray("results").getJsonObject(i);
      assertEquals("slow " + i, result.getString("body"));
      assertEquals("HTTP/2", result.getString("http_version"));
    }
    assertEquals(1, origin.connections.get(), "one HTTP/2 connection carried all 50 requests");
    assertTrue(origin.maxInFlight.get() > 1 && origin.maxInFlight.get() <= 10, "in flight: " + origin.maxInFlight.get());
  }

  @Test
  void theJdkEngineVerifiesAsWell() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("openssl", false)));
    assertEquals("TLS", code(get(url)), "self-signed, no CA configured");
    fixture.reset();
    origin = fixture.tlsOrigin("allowed.test");
    url = "https://allowed.test:" + origin.port() + "/hello";
    fixture.deploy(FetchFixture.config(new JsonObject().put("openssl", false).put("ca_file", origin.certificateFile())));
    JsonObject reply = get(url);
    assertEquals(200, reply.getInteger("status"), reply.encode());
    assertEquals("HTTP/2", reply.getString("http_version"));
    assertEquals("TLS", code(get("https://127.0.0.1:" + origin.port() + "/hello")), "host name verified");
  }

  @Test
  void trustAllAcceptsAnyCertificate() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("trust_all", true)));
    assertEquals(200, get("https://127.0.0.1:" + origin.port() + "/hello").getInteger("status"));
  }

  @Test
  void anUnusableCaFileStopsTheStartWithTheKeyNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.pem");
    AssertionError e = assertThrows(AssertionError.class,
      () -> fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", missing.toString()))));
    assertTrue(e.getMessage().contains("fetch.ca_file: cannot read " + missing), e.getMessage());
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    e = assertThrows(AssertionError.class,
      () -> fixture.deploy(FetchFixture.config(new JsonObject().put("ca_file", notPem.toString()))));
    assertTrue(e.getMessage().contains("fetch.ca_file: "), e.getMessage());
  }
}
