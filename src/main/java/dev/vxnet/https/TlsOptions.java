package dev.vxnet.https;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/** The TLS settings of the HTTPS server: protocols, cipher suites, ALPN, engine, certificate and optional client certificates. */
final class TlsOptions {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /**
   * Only AEAD ciphers with forward secrecy, in order of preference (Mozilla's "intermediate" set): TLS 1.3's three
   * suites, and for TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305, for ECDSA and RSA certificates. No CBC, no static
   * RSA key exchange, no DHE. The same list for the OpenSSL (BoringSSL, which always offers exactly these TLS 1.3
   * suites) and the JDK engine; Netty translates the names for OpenSSL.
   */
  static final List<String> CIPHER_SUITES = List.of(
    "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Logger LOG = LoggerFactory.getLogger(TlsOptions.class);

  private TlsOptions() {
  }

  /** Configures {@code options} for TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN; returns the engine's name. */
  static String apply(HttpServerOptions options, TlsMaterial material, TlsSettings tls) {
    options.setSsl(true)
      .setUseAlpn(true)
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(material.keyCert());
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    String engine;
    if ("openssl".equals(tls.tlsEngine())) {
      if (OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
        engine = "OpenSSL (" + OpenSsl.versionString() + ")";
      } else {
        options.setSslEngineOptions(new JdkSSLEngineOptions());
        engine = "JDK (OpenSSL engine requested but unavailable: " + OpenSsl.unavailabilityCause() + ")";
        LOG.warn("https: tls_engine openssl is not available on this platform, using the JDK engine: "
          + OpenSsl.unavailabilityCause());
      }
    } else {
      options.setSslEngineOptions(new JdkSSLEngineOptions());
      engine = "JDK (" + Runtime.version() + ")";
    }
    options.setClientAuth(switch (tls.clientAuth()) {
      case "request" -> ClientAuth.REQUEST;
      case "require" -> ClientAuth.REQUIRED;
      default -> ClientAuth.NONE;
    });
    PemTrustOptions clientCa = material.clientCa();
    if (clientCa != null) {
      options.setTrustOptions(clientCa);
    }
    return engine;
  }
}
