package dev.vxnet.https;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9's TLS defaults on a real HTTPS listener, for both engines: only AEAD, forward-secret suites are accepted
 * (openssl s_client offering one suite at a time), and the development certificate names localhost, 127.0.0.1 and
 * ::1 and is valid for a year, so that curl verifies it by name once it trusts it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsDefaultsTest {

  private static final List<String> ACCEPTED = List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305");
  private static final List<String> REFUSED = List.of("ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA384",
    "ECDHE-ECDSA-AES128-SHA256", "AES128-GCM-SHA256", "AES256-SHA", "DHE-RSA-AES128-GCM-SHA256");

  private static String handshake(int port, String... options) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), "openssl s_client finished");
    return out;
  }

  @Test
  void onlyAeadForwardSecretSuitesOnBothEngines() throws Exception {
    assumeTrue(WebTests.onPath("openssl"), "openssl is not installed");
    for (String engine : List.of("openssl", "jdk")) {
      try (TestNode node = TestNode.start(TestNode.only("https").put("https", new JsonObject().put("tls_engine", engine)))) {
        int port = node.port("https");
        for (String cipher : ACCEPTED) {
          String out = handshake(port, "-tls1_2", "-cipher", cipher);
          assertTrue(out.contains("Cipher is " + cipher), engine + " accepts " + cipher + ": " + out);
        }
        for (String cipher : REFUSED) {
          String out = handshake(port, "-tls1_2", "-cipher", cipher);
          assertTrue(out.contains("alert") || out.contains("Cipher is (NONE)") || out.contains("no cipher"),
            engine + " refuses " + cipher + ": " + out);
          assertTrue(!out.contains("Cipher is " + cipher), engine + " refuses " + cipher);
        }
        String tls13 = handshake(port, "-tls1_3");
        assertTrue(tls13.matches("(?s).*Cipher is TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256).*"),
          engine + ": " + tls13);
      }
    }
  }

  @Test
  void theDevelopmentCertificateNamesLocalhostAndLoopbackForOneYear() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https"))) {
      X509Certificate certificate = peerCertificate(node.port("https"));
      List<String> names = new ArrayList<>();
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      alternatives.forEach(name -> names.add(name.get(1).toString()));
      assertTrue(names.contains("localhost") && names.contains("127.0.0.1")
        && (names.contains("0:0:0:0:0:0:0:1") || names.contains("::1")), "SANs: " + names);
      Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
      assertTrue(validity.toDays() >= 365 && validity.toDays() <= 366, "one year, not to 9999: " + validity);
      if (WebTests.onPath("curl")) {
        Path pem = Files.createTempFile("vxnet-dev-cert", ".pem");
        try {
          Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
          for (String host : List.of("localhost", "127.0.0.1")) {
            String out = WebTests.run("curl", "-sS", "--max-time", "10", "--cacert", pem.toString(),
              "--resolve", "localhost:" + node.port("https") + ":127.0.0.1", "https://" + host + ":" + node.port("https") + "/health");
            assertTrue(out.contains("\"UP\""), host + ": " + out);
          }
        } finally {
          Files.deleteIfExists(pem);
        }
      }
    }
  }

  private static X509Certificate peerCertificate(int port) throws Exception {
    X509Certificate[] seen = new X509Certificate[1];
    TrustManager recordOnly = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
        seen[0] = chain[0];
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {recordOnly}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    }
    assertEquals(true, seen[0] != null, "a certificate was presented");
    return seen[0];
  }
}
