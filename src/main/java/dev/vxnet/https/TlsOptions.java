package dev.vxnet.https;

import dev.vxnet.config.Key;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/** The TLS settings of the HTTPS server: protocols, ALPN, engine, certificate and optional client certificates. */
final class TlsOptions {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  static final List<Key> KEYS = List.of(
    Key.text("cert_path", null, "PEM certificate file (the chain, leaf first). With `key_path`; unset with no "
      + "`pkcs12_path` means a self-signed development certificate is generated at start."),
    Key.text("key_path", null, "PEM private key file (PKCS#8, PKCS#1 or SEC1) of `cert_path`."),
    Key.text("pkcs12_path", null, "PKCS#12 keystore with the key and certificate chain; instead of `cert_path` and `key_path`."),
    Key.text("pkcs12_password", null, "Password of `pkcs12_path`; unset means an empty password."),
    Key.choice("tls_engine", "openssl", "TLS implementation: `openssl` (BoringSSL from netty-tcnative, faster) or `jdk`.",
      "openssl", "jdk"),
    Key.choice("client_auth", "none", "Client certificates: `none`, `request` (asked for, optional) or `require` "
      + "(handshake fails without one).", "none", "request", "require"),
    Key.text("client_ca_path", null, "PEM file of the CA(s) client certificates must be issued by; required unless "
      + "`client_auth` is `none`."));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private TlsOptions() {
  }

  /** Configures {@code options} for TLS 1.2/1.3 with HTTP/2 and HTTP/1.1 over ALPN; returns the engine's name. */
  static String apply(HttpServerOptions options, TlsMaterial material, JsonObject config) {
    options.setSsl(true)
      .setUseAlpn(true)
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(material.keyCert());
    String engine;
    if ("openssl".equals(config.getString("tls_engine"))) {
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
    String clientAuth = config.getString("client_auth");
    options.setClientAuth(switch (clientAuth) {
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
