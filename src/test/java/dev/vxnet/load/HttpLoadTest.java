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
  private static MisbehavingServers bad;

  @BeforeAll
  static void start() throws Exception {
    certificate = SelfSignedCertificate.create("localhost");
    node = TestNode.start(TestNode.only("https").put("https", new JsonObject()
      .put("cert_path", certificate.certificatePath()).put("key_path", certificate.privateKeyPath())));
    base = "https://localhost:" + node.port("https");
    bad = new MisbehavingServers();
  }

  @AfterAll
  static void stop() throws Exception {
    bad.close();
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

  @Test
  void connectionsTheServerClosesAreOpenedAgainWithoutErrors() throws Exception {
    int port = bad.rawHttp(n -> "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" + (n % 5 == 0 ? "Connection: close\r\n" : "") + "\r\nhello");
    Loads.Run run = Loads.run("http", "--url", "http://127.0.0.1:" + port + "/", "--connections", 2, "--count", 100, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(100, run.count("operations"));
    assertEquals(500, run.count("bytes"));
    // Every fifth answer closes its connection: 20 closes, each followed by a new connection unless the run was over.
    long opened = run.count("connections_opened");
    assertTrue(opened >= 2 + 20 - 2 && opened <= 2 + 20, run.toString());
  }

  @Test
  void chunkedAndCloseDelimitedBodiesAreReadWhole() throws Exception {
    int chunked = bad.rawHttp(n -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n");
    Loads.Run run = Loads.run("http", "--url", "http://127.0.0.1:" + chunked + "/", "--connections", 2, "--count", 50, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(50 * 7, run.count("bytes"));
    // No length and no chunks: the body runs to the close (RFC 9112 section 6.3, rule 8).
    int toClose = bad.rawHttp(n -> "HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nbody to the close");
    run = Loads.run("http", "--url", "http://127.0.0.1:" + toClose + "/", "--connections", 2, "--count", 20, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(20 * 17, run.count("bytes"));
    assertEquals(20, run.json().getJsonObject("http_versions").getLong("http/1.0"));
    // The same over HTTP/1.1 without Connection: close: the close ends the body, and the next request needs a new one.
    int toClose11 = bad.rawHttp(n -> "HTTP/1.1 200 OK\r\n\r\nbody to the close");
    run = Loads.run("http", "--url", "http://127.0.0.1:" + toClose11 + "/", "--connections", 2, "--count", 20, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(20 * 17, run.count("bytes"));
  }

  @Test
  void aResponseCutInItsHeadIsClosedNotMalformed() throws Exception {
    int port = bad.rawHttp(n -> "HTTP/1.1 200 OK\r\nContent-Le");
    Loads.Run run = Loads.run("http", "--url", "http://127.0.0.1:" + port + "/", "--connections", 2, "--count", 10, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertEquals(10, run.errorKind("closed"), run.toString());
    assertEquals(0, run.errorKind("malformed"), run.toString());
  }

  @Test
  void responsesThatDoNotParseAreMalformed() throws Exception {
    int port = bad.rawHttp(n -> "HELLO THERE\r\n\r\n");
    Loads.Run run = Loads.run("http", "--url", "http://127.0.0.1:" + port + "/", "--connections", 2, "--count", 10, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertEquals(10, run.errorKind("malformed"));
    assertTrue(run.json().getJsonObject("first_errors").getString("malformed").startsWith("malformed HTTP response"), run.toString());
  }
}
