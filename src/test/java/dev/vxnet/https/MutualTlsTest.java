package dev.vxnet.https;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutualTlsTest {

  private static JsonObject clientAuth(String mode) throws Exception {
    return WebTests.httpsConfig(new JsonObject()
      .put("client_auth", mode)
      .put("client_ca_path", TestCertificates.get().caPem.toString()));
  }

  private static WebClient client(Vertx vertx, HttpVersion version, boolean withCertificate) throws Exception {
    TestCertificates certs = TestCertificates.get();
    WebClientOptions options = new WebClientOptions()
      .setSsl(true)
      .setUseAlpn(true)
      .setProtocolVersion(version)
      .setTrustOptions(new PemTrustOptions().addCertPath(certs.caPem.toString()));
    if (withCertificate) {
      options.setKeyCertOptions(new PfxOptions().setPath(certs.clientP12.toString()).setPassword(TestCertificates.PASSWORD));
    }
    return WebTests.keep(WebClient.create(vertx, options));
  }

  @Test
  void requireRefusesAClientWithoutACertificateAndShowsTheSubjectOfOneWith(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, clientAuth("require"));
    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
      WebClient anonymous = client(vertx, version, false);
      assertThrows(Exception.class, () -> await(anonymous.get(port, "127.0.0.1", "/api/echo").send()),
        "a client without a certificate must not get an answer");

      HttpResponse<Buffer> response = await(client(vertx, version, true).get(port, "127.0.0.1", "/api/echo").send());
      assertEquals(200, response.statusCode());
      JsonObject presented = response.bodyAsJsonObject().getJsonObject("tls").getJsonObject("client_certificate");
      assertEquals(TestCertificates.CLIENT_SUBJECT, presented.getString("subject"));
      assertEquals("CN=vxnet-test-ca", presented.getString("issuer"));
      assertFalse(presented.getString("serial").isEmpty());
      assertTrue(presented.getString("sha256").matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), presented.getString("sha256"));
    }
  }

  @Test
  void requestAcceptsBothAndReportsWhichIsWhich(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, clientAuth("request"));
    HttpResponse<Buffer> anonymous = await(client(vertx, HttpVersion.HTTP_2, false).get(port, "127.0.0.1", "/api/echo").send());
    assertEquals(200, anonymous.statusCode());
    assertNull(anonymous.bodyAsJsonObject().getJsonObject("tls").getJsonObject("client_certificate"));

    HttpResponse<Buffer> identified = await(client(vertx, HttpVersion.HTTP_2, true).get(port, "127.0.0.1", "/api/echo").send());
    assertEquals(TestCertificates.CLIENT_SUBJECT,
      identified.bodyAsJsonObject().getJsonObject("tls").getJsonObject("client_certificate").getString("subject"));
  }
}
