package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * The certificates fetched origins are verified against: the JVM's trust store plus, when {@code fetch.ca_file}
 * names a PEM bundle, its certificates. (Vert.x trust options replace the JVM store; both are wanted here.)
 */
final class FetchTrust {

  private FetchTrust() {
  }

  /** Empty options (the JVM store alone) without a CA file; reading the files happens off the event loop. */
  static Future<TrustOptions> load(Vertx vertx, String caFile) {
    if (caFile == null || caFile.isBlank()) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(() -> withBundle(caFile), false);
  }

  static TrustOptions withBundle(String caFile) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(Path.of(caFile));
    } catch (IOException e) {
      throw new ConfigException("fetch.ca_file: cannot read " + caFile + ": " + e);
    }
    Collection<? extends Certificate> bundle;
    try {
      bundle = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException e) {
      throw new ConfigException("fetch.ca_file: " + caFile + " is not a PEM certificate bundle: " + e.getMessage());
    }
    if (bundle.isEmpty()) {
      throw new ConfigException("fetch.ca_file: no certificate in " + caFile + " (expected PEM: -----BEGIN CERTIFICATE-----)");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate anchor : jvmTrustManager().getAcceptedIssuers()) {
        store.setCertificateEntry("jvm-" + n++, anchor);
      }
      for (Certificate certificate : bundle) {
        store.setCertificateEntry("ca-file-" + n++, certificate);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return TrustOptions.wrap(factory);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("fetch.ca_file: cannot build a trust store from " + caFile + ": " + e.getMessage());
    }
  }

  private static X509TrustManager jvmTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JVM has no X.509 trust manager");
  }
}
