package dev.vxnet.support;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/** TLS client sockets that accept any server certificate (the node's development one), for raw-socket tests. */
public final class TrustAll {

  private static SSLContext context;

  private TrustAll() {
  }

  public static synchronized SSLContext context() throws GeneralSecurityException {
    if (context == null) {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      context = tls;
    }
    return context;
  }

  /** A handshaken TLS connection to 127.0.0.1:{@code port}, offering {@code alpn} (e.g. {@code h2}) when not null. */
  public static SSLSocket connect(int port, String alpn) throws Exception {
    SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket("127.0.0.1", port);
    if (alpn != null) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {alpn});
      socket.setSSLParameters(parameters);
    }
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }
}
