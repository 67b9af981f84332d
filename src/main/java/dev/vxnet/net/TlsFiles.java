package dev.vxnet.net;

import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.impl.KeyStoreHelper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;

/**
 * The files of a TLS server's configuration, read and checked before any port is bound, so that a missing file or a
 * key that does not belong to its certificate stops the start with one line naming the key and the file, rather than
 * failing every handshake later. Reads files: call off the event loop.
 *
 * @param section the configuration section whose keys name the files, for messages ({@code https.cert_path: ...})
 */
public record TlsFiles(String section) {

  /** The file {@code path} named by {@code section.key}. */
  public Buffer read(String key, String path) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(path)));
    } catch (NoSuchFileException e) {
      throw new StartupException(section + "." + key + ": " + path + ": no such file");
    } catch (AccessDeniedException e) {
      throw new StartupException(section + "." + key + ": " + path + ": not readable (permission denied)");
    } catch (IOException e) {
      throw new StartupException(section + "." + key + ": " + path + ": cannot read: " + Describe.failure(e));
    }
  }

  /** Checks that {@code pem}, read from {@code section.key}, holds at least one PEM certificate. */
  public void certificates(String key, String path, Buffer pem) {
    try {
      if (parse(pem).isEmpty()) {
        throw new StartupException(section + "." + key + ": " + path + ": no PEM certificate in it");
      }
    } catch (GeneralSecurityException e) {
      throw new StartupException(section + "." + key + ": " + path + ": not a PEM certificate: " + Describe.failure(e));
    }
  }

  /** A private key and its certificate chain, leaf first (never empty). */
  public record KeyAndChain(PrivateKey key, X509Certificate[] chain) {

    public X509Certificate leaf() {
      return chain[0];
    }
  }

  /**
   * Loads the key store the way Vert.x would, once, then proves that the private key belongs to the certificate.
   *
   * @param origin     the keys and files, for messages about their content
   * @param unreadable what to name when the store cannot be loaded at all
   * @return the first private key with a certificate, and its chain
   * @throws StartupException naming {@code origin} or {@code unreadable} when there is none or it does not match
   */
  public static KeyAndChain checkedKey(Vertx vertx, KeyCertOptions options, String origin, String unreadable) {
    KeyStore store;
    char[] password;
    try {
      if (options instanceof PfxOptions pfx) {
        store = pfx.loadKeyStore(vertx);
        password = pfx.getPassword() == null ? new char[0] : pfx.getPassword().toCharArray();
      } else {
        store = ((PemKeyCertOptions) options).loadKeyStore(vertx);
        password = KeyStoreHelper.DUMMY_PASSWORD.toCharArray(); // what Vert.x protects PEM keys in its store with
      }
    } catch (Exception e) {
      throw new StartupException("cannot load " + unreadable + ": " + Describe.failure(e));
    }
    try {
      for (String alias : Collections.list(store.aliases())) {
        X509Certificate[] chain = chain(store.getCertificateChain(alias));
        if (store.isKeyEntry(alias) && chain.length > 0 && store.getKey(alias, password) instanceof PrivateKey key) {
          if (!matches(key, chain[0])) {
            throw new StartupException(origin + ": the private key does not belong to the certificate " + subject(chain[0])
              + " (their public keys differ)");
          }
          return new KeyAndChain(key, chain);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new StartupException(origin + ": cannot check the key against the certificate: " + Describe.failure(e));
    }
    throw new StartupException(origin + ": no private key with a certificate in it");
  }

  private static X509Certificate[] chain(Certificate[] certificates) {
    if (certificates == null) {
      return new X509Certificate[0];
    }
    return Arrays.stream(certificates).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
      .toArray(X509Certificate[]::new);
  }

  /** Subject, end of validity and SHA-256 fingerprint, for the start log. */
  public static String describe(X509Certificate certificate, String origin) {
    return subject(certificate) + ", valid until " + certificate.getNotAfter().toInstant() + ", SHA-256 "
      + fingerprint(certificate) + " (from " + origin + ")";
  }

  /** SHA-256 of the whole certificate, colon-separated hex (as browsers and openssl show it). */
  public static String fingerprint(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  public static String subject(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().getName();
  }

  /** Every certificate in a PEM text. */
  public static Collection<? extends Certificate> parse(Buffer pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes()));
  }

  /** Signs a probe with the private key and verifies it with the certificate's public key. */
  static boolean matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519" -> "Ed25519";
      case "Ed448" -> "Ed448";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    };
    byte[] probe = "vxnet key/certificate check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false; // e.g. an EC key with an RSA certificate
    }
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
