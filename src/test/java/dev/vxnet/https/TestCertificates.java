package dev.vxnet.https;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real certificates for the TLS tests, made once per test JVM with the JDK's keytool (which signs certificates; the
 * JDK's public API cannot): a CA, a server certificate it issued (for localhost and 127.0.0.1), a client certificate
 * it issued, and an unrelated key. EC P-256 keys keep generation quick. The DNS tests use them for DoT and DoH.
 */
public final class TestCertificates {

  static final String PASSWORD = "changeit";
  static final String CLIENT_SUBJECT = "CN=vxnet-test-client,O=vxnet tests";

  private static TestCertificates instance;

  final Path dir;
  /** PEM of the CA certificate: trust it to verify the server, or to accept client certificates. */
  public final Path caPem;
  public final Path serverCertPem;
  public final Path serverKeyPem;
  /** Key, server certificate and CA chain, protected by {@link #PASSWORD}. */
  final Path serverP12;
  /** Key and client certificate chain, protected by {@link #PASSWORD}. */
  final Path clientP12;
  /** A private key that belongs to no certificate here. */
  final Path otherKeyPem;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caPem = dir.resolve("ca.pem");
    this.serverCertPem = dir.resolve("server-cert.pem");
    this.serverKeyPem = dir.resolve("server-key.pem");
    this.serverP12 = dir.resolve("server.p12");
    this.clientP12 = dir.resolve("client.p12");
    this.otherKeyPem = dir.resolve("other-key.pem");
  }

  public static synchronized TestCertificates get() throws Exception {
    if (instance == null) {
      Path dir = Files.createTempDirectory("vxnet-test-certs-");
      TestCertificates certs = new TestCertificates(dir);
      certs.generate();
      instance = certs;
    }
    return instance;
  }

  private void generate() throws Exception {
    Path ca = dir.resolve("ca.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=vxnet-test-ca",
      "-ext", "bc:c", "-validity", "3", "-keystore", ca.toString());
    KeyStore caStore = load(ca);
    Certificate caCert = caStore.getCertificate("ca");
    Files.writeString(caPem, pem("CERTIFICATE", caCert.getEncoded()));
    Certificate server = issue(ca, "server", "CN=localhost", List.of("-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth"),
      serverP12, caCert, serverKeyPem);
    Files.writeString(serverCertPem, pem("CERTIFICATE", server.getEncoded()) + pem("CERTIFICATE", caCert.getEncoded()));
    issue(ca, "client", CLIENT_SUBJECT, List.of("-ext", "eku=clientAuth"), clientP12, caCert, null);
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    Files.writeString(otherKeyPem, pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()));
  }

  /**
   * A key pair whose certificate the CA signs, saved as a PKCS#12 store with the chain (and as a PEM key if
   * {@code keyPem} is given). Returns the issued certificate.
   */
  private Certificate issue(Path ca, String alias, String subject, List<String> extensions, Path store, Certificate caCert,
                            Path keyPem) throws Exception {
    Path own = dir.resolve(alias + "-self.p12");
    Path csr = dir.resolve(alias + ".csr");
    Path issued = dir.resolve(alias + "-issued.pem");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", subject,
      "-validity", "3", "-keystore", own.toString());
    keytool("-certreq", "-alias", alias, "-keystore", own.toString(), "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
      "-infile", csr.toString(), "-outfile", issued.toString(), "-validity", "3"));
    gencert.addAll(extensions);
    keytool(gencert.toArray(String[]::new));
    Certificate cert;
    try (InputStream in = Files.newInputStream(issued)) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    PrivateKey key = (PrivateKey) load(own).getKey(alias, PASSWORD.toCharArray());
    KeyStore chain = KeyStore.getInstance("PKCS12");
    chain.load(null, null);
    chain.setKeyEntry(alias, key, PASSWORD.toCharArray(), new Certificate[] {cert, caCert});
    try (OutputStream out = Files.newOutputStream(store)) {
      chain.store(out, PASSWORD.toCharArray());
    }
    if (keyPem != null) {
      Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    }
    return cert;
  }

  private static KeyStore load(Path store) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    return keyStore;
  }

  static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC")); // a short-lived JVM: start fast
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }
}
