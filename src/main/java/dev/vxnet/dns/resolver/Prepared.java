package dev.vxnet.dns.resolver;

import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import dev.vxnet.dns.upstream.Upstream;
import dev.vxnet.net.DevelopmentCertificate;
import dev.vxnet.net.TlsFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.shareddata.Shareable;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the resolver needs from outside its configuration, read once per node before any port is bound (MainVerticle's
 * preflight) and shared by its instances: the upstreams with their host names looked up (or the nameservers of
 * /etc/resolv.conf), the CAs trusted for encrypted upstreams, and the DoT listener's certificate and key (checked
 * against each other, or generated). Blocking: call from a worker thread.
 *
 * @param upstreams      every upstream with an address
 * @param upstreamCa     PEM of {@code dns.upstream_ca_path}, or {@code null}
 * @param dotKeyCert     the DoT listener's key and certificate, or {@code null} when DoT is disabled
 * @param dotCertificate the DoT certificate described for the log (subject, validity, fingerprint, pin)
 */
record Prepared(List<Upstream> upstreams, Buffer upstreamCa, KeyCertOptions dotKeyCert, String dotCertificate)
  implements Shareable {

  private static final String MAP = "vxnet.dns.prepared";

  /** Loads once per node and settings. */
  static Prepared shared(Vertx vertx, DnsSettings settings, Consumer<String> warnings) {
    return vertx.sharedData().<String, Prepared>getLocalMap(MAP)
      .computeIfAbsent(settings.toString(), key -> load(vertx, settings, warnings));
  }

  private static Prepared load(Vertx vertx, DnsSettings settings, Consumer<String> warnings) {
    TlsFiles files = new TlsFiles("dns");
    Buffer ca = null;
    if (settings.upstreamCaPath() != null) {
      ca = files.read("upstream_ca_path", settings.upstreamCaPath());
      files.certificates("upstream_ca_path", settings.upstreamCaPath(), ca);
    }
    KeyCertOptions keyCert = null;
    String description = null;
    if (settings.dot() != null) {
      if (settings.dotCertPath() != null) {
        Buffer certPem = files.read("dot_cert_path", settings.dotCertPath());
        files.certificates("dot_cert_path", settings.dotCertPath(), certPem);
        keyCert = new PemKeyCertOptions().setCertValue(certPem).setKeyValue(files.read("dot_key_path", settings.dotKeyPath()));
        String origin = "key dns.dot_key_path " + settings.dotKeyPath() + " and certificate dns.dot_cert_path " + settings.dotCertPath();
        X509Certificate leaf = TlsFiles.checkedKey(vertx, keyCert, origin, "dns.dot_key_path " + settings.dotKeyPath()
          + " with dns.dot_cert_path " + settings.dotCertPath()).leaf();
        description = TlsFiles.describe(leaf, origin) + ", public-key pin " + pin(leaf);
      } else {
        SelfSigned generated = selfSigned();
        keyCert = generated.keyCert();
        description = generated.description();
        warnings.accept("dns: no DoT certificate configured (dot_cert_path/dot_key_path): serving a self-signed "
          + "DEVELOPMENT certificate: " + description + ". Clients must skip verification (kdig +tls) or pin it "
          + "(kdig +tls-pin=...); configure a real certificate for anything else.");
      }
    }
    List<Upstream> upstreams = upstreams(settings.upstreams(), warnings);
    if (upstreams.stream().anyMatch(upstream -> upstream.protocol() != Upstream.Protocol.PLAIN)) {
      warmUpTls();
    }
    return new Prepared(upstreams, ca, keyCert, description);
  }

  /**
   * Loads the JDK's TLS classes and trusted CAs here, on a worker thread: done lazily by the first connection to an
   * encrypted upstream, it held an event loop for over 2 s on a loaded machine, longer than the query's timeout.
   */
  private static void warmUpTls() {
    try {
      SSLContext.getDefault().createSSLEngine().getSupportedCipherSuites();
      TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).init((KeyStore) null);
    } catch (GeneralSecurityException e) {
      throw new StartupException("dns: the JVM's TLS is not usable for tls:// and https:// upstreams: " + Describe.failure(e));
    }
  }

  private record SelfSigned(KeyCertOptions keyCert, String description) {
  }

  /** The JVM's development certificate (EC P-256, CN=localhost with its SANs), the one the HTTPS servers serve too. */
  private static SelfSigned selfSigned() {
    try {
      DevelopmentCertificate generated = DevelopmentCertificate.get();
      X509Certificate leaf = generated.certificate();
      return new SelfSigned(new PemKeyCertOptions().setCertValue(generated.certPem()).setKeyValue(generated.keyPem()),
        "self-signed " + TlsFiles.subject(leaf) + ", SHA-256 " + TlsFiles.fingerprint(leaf) + ", public-key pin " + pin(leaf));
    } catch (GeneralSecurityException e) {
      throw new StartupException("dns: cannot generate a self-signed DoT certificate: " + Describe.failure(e));
    }
  }

  /** The SHA-256 of the certificate's public key (SubjectPublicKeyInfo), base64: what {@code kdig +tls-pin} takes. */
  static String pin(X509Certificate certificate) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The configured upstreams with host names looked up; unset: the nameservers of /etc/resolv.conf. */
  private static List<Upstream> upstreams(List<Upstream> configured, Consumer<String> warnings) {
    if (configured == null) {
      String content;
      try {
        content = Files.readString(Path.of(DnsResolverVerticle.RESOLV_CONF));
      } catch (IOException | RuntimeException e) {
        throw new StartupException("dns.upstreams: not set, and " + DnsResolverVerticle.RESOLV_CONF + " cannot be read ("
          + Describe.failure(e) + "); set dns.upstreams, or dns.enabled=false");
      }
      List<Upstream> servers = Upstream.fromResolvConf(content, DnsResolverVerticle.RESOLV_CONF,
        skipped -> warnings.accept("dns: skipping a nameserver: " + skipped));
      if (servers.isEmpty()) {
        throw new StartupException("dns.upstreams: not set, and " + DnsResolverVerticle.RESOLV_CONF
          + " lists no usable nameserver; set dns.upstreams, or dns.enabled=false");
      }
      return servers;
    }
    List<Upstream> resolved = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      Upstream upstream = configured.get(i);
      if (upstream.address() != null) {
        resolved.add(upstream);
        continue;
      }
      try {
        resolved.add(upstream.resolved(InetAddress.getByName(upstream.host())));
      } catch (UnknownHostException e) {
        throw new StartupException("dns.upstreams[" + i + "]: cannot look up " + upstream.host() + " of " + upstream
          + " through the system resolver (" + Describe.failure(e) + "); give its address with #ip=ADDRESS");
      }
    }
    return List.copyOf(resolved);
  }
}
