package dev.vxnet.load;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vxnet load http against vxnet's HTTPS server: HTTP/1.1 and HTTP/2, TLS verified and not, GET and POST. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpLoadTest {

  private static SelfSignedCertificate certificate;
  private static TestNode node;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    certificate = SelfSignedCertificate.create("localhost");
    node = TestNode.start(TestNode.only("https").put("https", new JsonObject()
      .put("cert_path", certificate.certificatePath()).put("key_path", certificate.privateKeyPath())));
    base = "https://localhost:" + node.port("https");
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    certificate.delete();
  }

  @Test
  void http11OverVerifiedTlsOneRequestPerConnectionAtATime() {
    Loads.Run run = Loads.run("http", "--url", base + "/health", "--ca", certificate.certificatePath(),
      "--connections", 4, "--count", 400, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(400, json.getLong("operations"));
    assertEquals(4, json.getLong("connections_opened"));
    assertEquals(400, json.getJsonObject("status").getLong("200"));
    assertEquals(400, json.getJsonObject("http_versions").getLong("http/1.1"));
    assertTrue(json.getLong("bytes") > 400 * 10, run.toString());
  }

  @Test
  void http2StreamsShareTheConnections() {
    Loads.Run run = Loads.run("http", "--url", base + "/health", "--insecure", "--http", 2,
      "--connections", 2, "--streams", 8, "--count", 800, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(800, json.getLong("operations"));
    assertEquals(2, json.getLong("connections_opened"), "16 lanes over 2 connections: " + run);
    assertEquals(800, json.getJsonObject("http_versions").getLong("h2"));
  }

  @Test
  void postSendsTheBody() {
    Loads.Run run = Loads.run("http", "--url", base + "/api/echo", "--insecure", "--method", "POST", "--size", 5000,
      "--header", "x-load: yes", "--connections", 2, "--count", 50, "--json");
    assertEquals(0, run.status(), run.toString());
    // /api/echo describes the request: the 5000 random bytes come back as base64 (6668 characters) in each answer.
    assertTrue(run.count("bytes") / 50 > 6668, run.toString());
  }

  @Test
  void unverifiedCertificateIsNoConnectionUnlessInsecure() {
    Loads.Run run = Loads.run("http", "--url", base + "/health", "--connections", 2, "--count", 10);
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertTrue(run.err().contains("no connection to " + base + "/health") && run.err().contains("--insecure"), run.err());
  }

  @Test
  void errorStatusesAreErrors() {
    Loads.Run run = Loads.run("http", "--url", base + "/api/echo?status=503", "--insecure", "--connections", 2,
      "--count", 30, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertEquals(30, run.errorKind("status"));
    assertEquals(30, run.json().getJsonObject("status").getLong("503"));
    assertEquals(0, run.count("operations"));
  }
}
