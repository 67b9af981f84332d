package dev.vxnet.net;

import io.vertx.core.buffer.Buffer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The development certificate of this JVM, served by the HTTPS servers and the DoT listener when no certificate is
 * configured: an ECDSA P-256 key and a self-signed certificate for {@code CN=localhost} with the subjectAltNames
 * clients check (RFC 6125: DNS localhost, IP 127.0.0.1 and ::1), valid from an hour ago (clock skew) for one year,
 * signed SHA256withECDSA by the JDK's own providers (Bouncy Castle only builds the structure). Generated once per JVM
 * and shared, so every instance and listener presents the same fingerprint.
 *
 * @param certPem     the certificate, PEM
 * @param keyPem      the private key, PKCS#8 PEM
 * @param certificate the certificate, parsed
 */
public record DevelopmentCertificate(Buffer certPem, Buffer keyPem, X509Certificate certificate) {

  private static DevelopmentCertificate generated;

  /**
   * The JVM's development certificate, generated at the first call (a few ms: one EC key pair).
   *
   * @throws GeneralSecurityException when the JDK cannot make or sign an EC P-256 key (never on a standard JDK)
   */
  public static synchronized DevelopmentCertificate get() throws GeneralSecurityException {
    if (generated == null) {
      try {
        generated = generate();
      } catch (OperatorCreationException | IOException e) {
        throw new GeneralSecurityException("cannot build the certificate: " + e.getMessage(), e);
      }
    }
    return generated;
  }

  private static DevelopmentCertificate generate() throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=localhost");
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
      Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic())
      .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.iPAddress, "::1")}))
      .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
      .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
      .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate certificate = new JcaX509CertificateConverter()
      .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    Buffer certPem = Buffer.buffer("-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded())
      + "\n-----END CERTIFICATE-----\n");
    Buffer keyPem = Buffer.buffer("-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(keys.getPrivate().getEncoded())
      + "\n-----END PRIVATE KEY-----\n");
    return new DevelopmentCertificate(certPem, keyPem, certificate);
  }
}
