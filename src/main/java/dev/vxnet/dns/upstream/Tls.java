package dev.vxnet.dns.upstream;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The TLS side of the encrypted upstreams: TLS 1.2 or 1.3, the certificate verified against the upstream's host name
 * (RFC 6125, the "HTTPS" rule) by the trusted CAs (the JVM's, or {@code dns.upstream_ca_path}), and the optional
 * public-key pin checked before the first query is written.
 */
final class Tls {

  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private Tls() {
  }

  /** Options of the TLS client of DoT upstreams; {@code caPem} {@code null}: the JVM's trusted CAs. */
  static NetClientOptions netClientOptions(Buffer caPem, int connectTimeoutMs) {
    NetClientOptions options = new NetClientOptions()
      .setSsl(true)
      .setHostnameVerificationAlgorithm("HTTPS")
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setConnectTimeout(connectTimeoutMs);
    trust(options, caPem);
    return options;
  }

  /** Options of the HTTP/2 client of DoH upstreams (ALPN h2, HTTP/1.1 if the server has no HTTP/2). */
  static HttpClientOptions httpClientOptions(Buffer caPem, int connectTimeoutMs) {
    HttpClientOptions options = new HttpClientOptions()
      .setSsl(true)
      .setUseAlpn(true)
      .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2)
      .setVerifyHost(true)
      .setEnabledSecureTransportProtocols(PROTOCOLS)
      .setConnectTimeout(connectTimeoutMs);
    trust(options, caPem);
    return options;
  }

  private static void trust(ClientOptionsBase options, Buffer caPem) {
    if (caPem != null) {
      options.setTrustOptions(new PemTrustOptions().addCertValue(caPem));
    }
  }

  /** The SNI name for {@code host}: none for an IP address (RFC 6066 section 3). */
  static String sniName(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) ? null : host;
  }

  /** A failed connection or handshake as an upstream failure; a refused connection is {@link UpstreamFailure#unreachable()}. */
  static UpstreamFailure failure(Throwable cause) {
    if (cause instanceof UpstreamFailure failure) {
      return failure;
    }
    if (cause instanceof SSLException || cause.getCause() instanceof SSLException) {
      return new UpstreamFailure("TLS handshake failed: " + cause.getMessage());
    }
    return StreamFraming.connectFailure(cause);
  }

  /** Succeeds when the upstream has no pin, or the server's public key has the pinned SHA-256. */
  static Future<Void> checkPin(Upstream upstream, List<Certificate> peer) {
    if (upstream.pin() == null) {
      return Future.succeededFuture();
    }
    if (peer == null || peer.isEmpty()) {
      return Future.failedFuture(new UpstreamFailure("the server showed no certificate to check the pin against"));
    }
    byte[] actual = spkiSha256(peer.get(0));
    if (!MessageDigest.isEqual(actual, upstream.pin())) {
      return Future.failedFuture(new UpstreamFailure("public key pin mismatch: the server's key has SHA-256 "
        + Base64.getEncoder().encodeToString(actual) + ", pinned " + Base64.getEncoder().encodeToString(upstream.pin())));
    }
    return Future.succeededFuture();
  }

  /** The pin of a certificate: SHA-256 of its DER SubjectPublicKeyInfo (what {@code kdig +tls-pin} takes). */
  static byte[] spkiSha256(Certificate certificate) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** The peer's certificates, or an empty list when it showed none. */
  static List<Certificate> peer(PeerCertificates source) {
    try {
      return source.get();
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  /** {@code NetSocket::peerCertificates} and {@code HttpConnection::peerCertificates}, which throw when there are none. */
  @FunctionalInterface
  interface PeerCertificates {
    List<Certificate> get() throws SSLPeerUnverifiedException;
  }
}
