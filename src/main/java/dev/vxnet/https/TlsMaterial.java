package dev.vxnet.https;

import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import dev.vxnet.net.DevelopmentCertificate;
import dev.vxnet.net.TlsFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.shareddata.Shareable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.KeyManagerFactory;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The server's certificate and key (from PEM files, a PKCS#12 keystore, or generated self-signed), and the CA that
 * client certificates must chain to. Everything is read and checked once per node, before any port is bound, so that
 * a missing file or a key that does not belong to its certificate stops the start with one line naming the key and
 * the file. Loading reads files: call it off the event loop.
 */
final class TlsMaterial implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(TlsMaterial.class);
  private static final String SHARED = "vxnet.https.tls";

  private final KeyCertOptions keyCert;
  private final PemTrustOptions clientCa;
  private final String description;

  private TlsMaterial(KeyCertOptions keyCert, PemTrustOptions clientCa, String description) {
    this.keyCert = keyCert;
    this.clientCa = clientCa;
    this.description = description;
  }

  /** Loads once per node and TLS settings: every instance then serves the same (even self-signed) certificate. */
  static TlsMaterial shared(Vertx vertx, String section, TlsSettings tls) {
    return vertx.sharedData().<String, TlsMaterial>getLocalMap(SHARED)
      .computeIfAbsent(section + tls, k -> load(vertx, section, tls));
  }

  KeyCertOptions keyCert() {
    return keyCert.copy();
  }

  /** The trusted CA for client certificates, or {@code null} when client certificates are not asked for. */
  PemTrustOptions clientCa() {
    return clientCa == null ? null : clientCa.copy();
  }

  String description() {
    return description;
  }

  /** Reads and checks the files {@code tls} names ({@link TlsSettings} has checked the keys against each other). */
  static TlsMaterial load(Vertx vertx, String section, TlsSettings tls) {
    TlsFiles files = new TlsFiles(section);
    PemTrustOptions clientCa = tls.clientCertificates() ? clientCa(files, tls.clientCaPath()) : null;
    if (tls.pkcs12Path() != null) {
      String password = tls.pkcs12Password() == null ? "" : tls.pkcs12Password();
      PfxOptions options = new PfxOptions().setValue(files.read("pkcs12_path", tls.pkcs12Path())).setPassword(password);
      String origin = section + ".pkcs12_path " + tls.pkcs12Path();
      return checked(vertx, options, clientCa, origin, origin + " (wrong " + section + ".pkcs12_password, or not a PKCS#12 file)");
    }
    if (tls.certPath() != null) {
      String cert = tls.certPath();
      String key = tls.keyPath();
      Buffer certPem = files.read("cert_path", cert);
      files.certificates("cert_path", cert, certPem);
      PemKeyCertOptions options = new PemKeyCertOptions().setCertValue(certPem).setKeyValue(files.read("key_path", key));
      String origin = "key " + section + ".key_path " + key + " and certificate " + section + ".cert_path " + cert;
      return checked(vertx, options, clientCa, origin, section + ".key_path " + key + " with " + section + ".cert_path " + cert);
    }
    return selfSigned(vertx, clientCa);
  }

  private static PemTrustOptions clientCa(TlsFiles files, String path) {
    Buffer pem = files.read("client_ca_path", path);
    files.certificates("client_ca_path", path, pem);
    return new PemTrustOptions().addCertValue(pem);
  }

  /**
   * Loads the key store the way Vert.x would, once, then proves that the private key belongs to the certificate; the
   * servers get the key and chain as they are ({@link #serving}), so that no server instance loads them again.
   */
  private static TlsMaterial checked(Vertx vertx, KeyCertOptions options, PemTrustOptions clientCa, String origin, String unreadable) {
    TlsFiles.KeyAndChain checked = TlsFiles.checkedKey(vertx, options, origin, unreadable);
    try {
      return new TlsMaterial(serving(vertx, checked.key(), checked.chain()), clientCa, TlsFiles.describe(checked.leaf(), origin));
    } catch (GeneralSecurityException e) {
      throw new StartupException(origin + ": cannot serve the key and certificate: " + Describe.failure(e));
    }
  }

  /**
   * The key and chain as the servers' key options: held in memory as they are ({@link ServerKeyManager}), and behind
   * netty's caching factory, so that the OpenSSL engine converts them to its own form once, not at every handshake.
   */
  private static KeyCertOptions serving(Vertx vertx, PrivateKey key, X509Certificate[] chain) throws GeneralSecurityException {
    try {
      KeyManagerFactory plain = KeyCertOptions.wrap(new ServerKeyManager(key, chain)).getKeyManagerFactory(vertx);
      return KeyCertOptions.wrap(new OpenSslCachingX509KeyManagerFactory(plain));
    } catch (GeneralSecurityException e) {
      throw e;
    } catch (Exception e) {
      throw new GeneralSecurityException(e); // Vert.x declares Exception; a wrapped manager throws none
    }
  }

  private static TlsMaterial selfSigned(Vertx vertx, PemTrustOptions clientCa) {
    DevelopmentCertificate generated;
    try {
      generated = DevelopmentCertificate.get();
    } catch (GeneralSecurityException e) {
      throw new StartupException("https: cannot generate a self-signed certificate: " + Describe.failure(e));
    }
    X509Certificate certificate = generated.certificate();
    String fingerprint = fingerprint(certificate);
    LOG.warn("https: no certificate configured (cert_path/key_path or pkcs12_path): serving a self-signed "
      + "DEVELOPMENT certificate for {} (localhost, 127.0.0.1, ::1; valid until {}), SHA-256 fingerprint {}. Clients must "
      + "skip verification (curl -k) or pin this fingerprint; configure a real certificate for anything else.",
      TlsFiles.subject(certificate), certificate.getNotAfter().toInstant(), fingerprint);
    TlsMaterial loaded = checked(vertx, new PemKeyCertOptions().setCertValue(generated.certPem()).setKeyValue(generated.keyPem()),
      clientCa, "the self-signed certificate", "the self-signed certificate");
    return new TlsMaterial(loaded.keyCert, clientCa,
      "self-signed development certificate " + TlsFiles.subject(certificate) + ", SHA-256 " + fingerprint);
  }

  static String fingerprint(X509Certificate certificate) {
    return TlsFiles.fingerprint(certificate);
  }
}
