package dev.vxnet.https;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Certificate configuration: what works, and the one-line errors for what does not. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsStartupTest {

  private static String startFailure(Vertx vertx, JsonObject config) {
    Exception failure = assertThrows(Exception.class,
      () -> await(vertx.deployVerticle(new HttpsServerVerticle(), new DeploymentOptions().setConfig(config))));
    return failure.getMessage();
  }

  private static void assertMentions(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
    }
  }

  @Test
  void aMissingCertificateFileIsNamed(Vertx vertx) throws Exception {
    String missing = "/nonexistent/vxnet/cert.pem";
    String message = startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("cert_path", missing)));
    assertMentions(message, "https.cert_path", missing, "no such file");
  }

  @Test
  void anUnreadableKeyFileIsNamed(Vertx vertx, @TempDir Path dir) throws Exception {
    Path directory = Files.createDirectory(dir.resolve("key.pem")); // root can read any file, but never a directory
    String message = startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("key_path", directory.toString())));
    assertMentions(message, "https.key_path", directory.toString(), "cannot read");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateNamesBothFiles(Vertx vertx) throws Exception {
    TestCertificates certs = TestCertificates.get();
    String message = startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("key_path", certs.otherKeyPem.toString())));
    assertMentions(message, certs.otherKeyPem.toString(), certs.serverCertPem.toString(), "does not belong to the certificate");
  }

  @Test
  void aKeyFileWithoutAKeyIsNamed(Vertx vertx) throws Exception {
    TestCertificates certs = TestCertificates.get();
    String message = startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("key_path", certs.caPem.toString())));
    assertMentions(message, "cannot load https.key_path " + certs.caPem, "https.cert_path " + certs.serverCertPem);
  }

  @Test
  void aFileThatIsNotPemIsNamed(Vertx vertx, @TempDir Path dir) throws Exception {
    Path garbage = Files.writeString(dir.resolve("cert.pem"), "this is not a certificate\n");
    String message = startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("cert_path", garbage.toString())));
    assertMentions(message, "https.cert_path", garbage.toString(), "PEM certificate");
  }

  @Test
  void aWrongPkcs12PasswordIsNamed(Vertx vertx) throws Exception {
    TestCertificates certs = TestCertificates.get();
    String message = startFailure(vertx, new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("pkcs12_path", certs.serverP12.toString()).put("pkcs12_password", "wrong"));
    assertMentions(message, "https.pkcs12_path", certs.serverP12.toString(), "https.pkcs12_password");
  }

  @Test
  void inconsistentKeysAreRefused(Vertx vertx) throws Exception {
    TestCertificates certs = TestCertificates.get();
    JsonObject base = new JsonObject().put("host", "127.0.0.1").put("port", 0);
    assertMentions(startFailure(vertx, base.copy().put("cert_path", certs.serverCertPem.toString())),
      "https.key_path", "required when https.cert_path is set");
    assertMentions(startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("pkcs12_path", certs.serverP12.toString()))),
      "https.pkcs12_path", "not both");
    assertMentions(startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("client_auth", "require"))),
      "https.client_ca_path", "required when https.client_auth is require");
    assertMentions(startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("echo_max_delay_ms", 5_000).put("request_timeout_ms", 5_000))),
      "https.echo_max_delay_ms: must be below https.request_timeout_ms (5000), got 5000");
    assertMentions(startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("stats_timeout_ms", 20_000).put("request_timeout_ms", 15_000))),
      "https.stats_timeout_ms: must be below https.request_timeout_ms (15000), got 20000");
    assertMentions(startFailure(vertx, WebTests.httpsConfig(new JsonObject().put("web_root", "/nonexistent/vxnet/www"))),
      "https.web_root", "/nonexistent/vxnet/www", "no such directory");
  }

  @Test
  void aPkcs12KeystoreServesAVerifiableChain(Vertx vertx) throws Exception {
    TestCertificates certs = TestCertificates.get();
    int port = WebTests.deployHttps(vertx, new JsonObject().put("host", "127.0.0.1").put("port", 0)
      .put("pkcs12_path", certs.serverP12.toString()).put("pkcs12_password", TestCertificates.PASSWORD));
    HttpResponse<Buffer> response = await(WebTests.client(vertx, HttpVersion.HTTP_2).get(port, "127.0.0.1", "/health").send());
    assertEquals(200, response.statusCode());
  }

  /** With no certificate configured, a self-signed one for localhost is generated and served. */
  @Test
  void withoutACertificateASelfSignedOneIsServed(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, new JsonObject().put("host", "127.0.0.1").put("port", 0));
    NetSocket socket = await(WebTests.keep(vertx.createNetClient(new NetClientOptions().setSsl(true).setTrustAll(true)
      .setHostnameVerificationAlgorithm(""))).connect(port, "127.0.0.1"));
    X509Certificate served = (X509Certificate) socket.peerCertificates().get(0);
    assertEquals("CN=localhost", served.getSubjectX500Principal().getName());
    assertEquals(served.getSubjectX500Principal(), served.getIssuerX500Principal());
    socket.close();
  }

  /** The launcher prints the one-line reason and exits with a non-zero status. */
  @Test
  void theServerExitsNonZeroNamingTheMissingFile() throws Exception {
    String missing = "/nonexistent/vxnet/server-cert.pem";
    JsonObject conf = new JsonObject()
      .put("tcp", new JsonObject().put("enabled", false))
      .put("udp", new JsonObject().put("enabled", false))
      .put("chat", new JsonObject().put("enabled", false))
      .put("http", new JsonObject().put("enabled", false))
      .put("https", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("cert_path", missing).put("key_path", missing));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.vxnet.VxnetLauncher", "run", "dev.vxnet.MainVerticle", "-conf", conf.encode()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(WebTests.AWAIT_SECONDS, TimeUnit.SECONDS), "the server did not exit");
    assertEquals(1, process.exitValue(), output);
    assertMentions(output, "https.cert_path", missing, "no such file");
    assertTrue(!output.contains("\tat "), "no stack trace expected: " + output);
  }
}
