package dev.vxnet.https;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.Set;
import java.util.logging.Logger;

/** The TLS settings of the HTTPS server: protocols, ALPN, engine, certificate and optional client certificates. */
final class TlsOptions {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private static final Logger LOG = Logger.getLogger("vxnet");

  private TlsOptions() {
  }

  /** Configures {@code options} for TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN; returns the engine's name. */
  static String apply(HttpServerOptions options, TlsMaterial material, TlsSettings tls) {
    options.setSsl(true)
      .setUseAlpn(true)
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(material.keyCert());
    String engine;
    if ("openssl".equals(tls.tlsEngine())) {
      if (OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
        engine = "OpenSSL (" + OpenSsl.versionString() + ")";
      } else {
        options.setSslEngineOptions(new JdkSSLEngineOptions());
        engine = "JDK (OpenSSL engine requested but unavailable: " + OpenSsl.unavailabilityCause() + ")";
        LOG.warning(() -> "https: tls_engine openssl is not available on this platform, using the JDK engine: "
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
