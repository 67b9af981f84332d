package dev.vxnet.https;

import dev.vxnet.config.Key;
import dev.vxnet.config.Values;

import java.util.List;

/**
 * The TLS keys of the {@code https} section, checked against each other (the files themselves are read and checked
 * by {@link TlsMaterial}, before any port is bound).
 *
 * @param certPath       PEM certificate chain, with {@code keyPath}; both {@code null} with no {@code pkcs12Path}: self-signed
 * @param keyPath        PEM private key of {@code certPath}
 * @param pkcs12Path     PKCS#12 keystore instead of the PEM pair, or {@code null}
 * @param pkcs12Password its password ({@code null}: empty)
 * @param tlsEngine      {@code openssl} or {@code jdk}
 * @param clientAuth     {@code none}, {@code request} or {@code require}
 * @param clientCaPath   PEM CA(s) client certificates must chain to; set unless {@code clientAuth} is {@code none}
 * @param hstsMaxAgeS    {@code max-age} of the {@code Strict-Transport-Security} header, seconds; 0 = no header
 */
record TlsSettings(String certPath, String keyPath, String pkcs12Path, String pkcs12Password, String tlsEngine,
                   String clientAuth, String clientCaPath, int hstsMaxAgeS) {

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
      + "`client_auth` is `none`."),
    Key.integer("hsts_max_age_s", 31_536_000, 0, 1_000_000_000, "`Strict-Transport-Security: max-age=N` on every HTTPS "
      + "answer (RFC 6797; browsers ignore it while the certificate is not trusted); 0 = no header. Never on plain HTTP."));

  static TlsSettings from(Values values) {
    TlsSettings tls = new TlsSettings(values.text("cert_path"), values.text("key_path"), values.text("pkcs12_path"),
      values.text("pkcs12_password"), values.text("tls_engine"), values.text("client_auth"), values.text("client_ca_path"),
      values.integer("hsts_max_age_s"));
    if (tls.pkcs12Path != null && (tls.certPath != null || tls.keyPath != null)) {
      values.problem("pkcs12_path", "set either pkcs12_path or cert_path and key_path, not both");
    } else if ((tls.certPath == null) != (tls.keyPath == null)) {
      String missing = tls.certPath == null ? "cert_path" : "key_path";
      values.problem(missing, "required when " + values.name(tls.certPath == null ? "key_path" : "cert_path") + " is set");
    }
    if (!"none".equals(tls.clientAuth) && tls.clientCaPath == null) {
      values.problem("client_ca_path", "required when " + values.name("client_auth") + " is " + tls.clientAuth
        + " (the CA that client certificates must be issued by)");
    }
    return tls;
  }

  /** The {@code Strict-Transport-Security} header value, or {@code null} when turned off. */
  String strictTransportSecurity() {
    return hstsMaxAgeS == 0 ? null : "max-age=" + hstsMaxAgeS;
  }

  /** Whether client certificates are asked for. */
  boolean clientCertificates() {
    return !"none".equals(clientAuth);
  }
}
