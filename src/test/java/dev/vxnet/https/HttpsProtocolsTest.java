package dev.vxnet.https;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpsProtocolsTest {

  @Test
  void http2AndHttp11OverTls13WithTheOpenSslEngine(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
      WebClient client = WebTests.client(vertx, version);
      HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/api/echo").send());
      assertEquals(200, response.statusCode());
      assertEquals(version, response.version());
      JsonObject echo = response.bodyAsJsonObject();
      assertEquals(version == HttpVersion.HTTP_2 ? "HTTP/2" : "HTTP/1.1", echo.getString("http_version"));
      assertEquals("TLSv1.3", echo.getJsonObject("tls").getString("protocol"));
      client.close();
    }
  }

  @Test
  void theJdkEngineServesHttp2Too(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("tls_engine", "jdk")));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);
    HttpResponse<Buffer> response = await(client.get(port, "127.0.0.1", "/api/echo").send());
    assertEquals(HttpVersion.HTTP_2, response.version());
    assertEquals("TLSv1.3", response.bodyAsJsonObject().getJsonObject("tls").getString("protocol"));
  }

  @Test
  void curlOverHttp2AndHttp11VerifiesTheCertificate(Vertx vertx) throws Exception {
    assumeTrue(WebTests.onPath("curl"), "curl is not installed");
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    String ca = TestCertificates.get().caPem.toString();
    for (String flag : new String[] {"--http2", "--http1.1"}) {
      JsonObject echo = new JsonObject(WebTests.run("curl", "-sS", "--max-time", "10", flag, "--cacert", ca,
        "https://127.0.0.1:" + port + "/api/echo?via=curl"));
      assertEquals(flag.equals("--http2") ? "HTTP/2" : "HTTP/1.1", echo.getString("http_version"));
      assertEquals("TLSv1.3", echo.getJsonObject("tls").getString("protocol"));
      assertEquals("curl", echo.getJsonObject("query_params").getJsonArray("via").getString(0));
    }
  }

  /**
   * A client that offers only TLS 1.1 is refused. The same client completes a TLS 1.1 handshake with a server that
   * allows it, so the refusal is the HTTPS server's doing and not the client's inability.
   */
  @Test
  void aTls11OnlyClientIsRefused(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    NetClient tls11 = WebTests.keep(vertx.createNetClient(new NetClientOptions()
      .setSsl(true)
      .setTrustAll(true)
      .setHostnameVerificationAlgorithm("")
      .setSslEngineOptions(new OpenSSLEngineOptions())
      .setEnabledSecureTransportProtocols(Set.of("TLSv1.1"))
      .setConnectTimeout(5_000)));

    TestCertificates certs = TestCertificates.get();
    NetServer permissive = vertx.createNetServer(new NetServerOptions()
      .setHost("127.0.0.1").setPort(0).setSsl(true)
      .setSslEngineOptions(new OpenSSLEngineOptions())
      .setEnabledSecureTransportProtocols(Set.of("TLSv1.1", "TLSv1.2", "TLSv1.3"))
      .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.serverCertPem.toString()).setKeyPath(certs.serverKeyPem.toString())))
      .connectHandler(socket -> { });
    int permissivePort = await(permissive.listen()).actualPort();
    // read on the event loop as the connection completes, while the socket is surely open
    assertEquals("TLSv1.1", await(tls11.connect(permissivePort, "127.0.0.1").map(socket -> socket.sslSession().getProtocol())));

    Exception refused = assertThrows(Exception.class, () -> await(tls11.connect(port, "127.0.0.1")));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = refused; t != null; t = t.getCause()) {
      chain.append(t).append(" <- ");
    }
    assertTrue(chain.toString().contains("PROTOCOL_VERSION"), "expected the server's protocol_version alert: " + chain);
  }
}
