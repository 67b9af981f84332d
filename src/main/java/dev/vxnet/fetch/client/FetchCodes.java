package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.config.Describe;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** The error codes a fetch can fail with (docs/fetch.md) and the mapping of network failures onto them. */
final class FetchCodes {

  /** Every code a fetch can fail with, for the stats counters. */
  static final List<ErrorCode> ALL = List.of(ErrorCode.BAD_REQUEST, ErrorCode.DENIED, ErrorCode.DNS, ErrorCode.CONNECT,
    ErrorCode.TLS, ErrorCode.TIMEOUT, ErrorCode.TOO_LARGE, ErrorCode.REDIRECTS, ErrorCode.UPSTREAM);

  private FetchCodes() {
  }

  /** A failure of Vert.x/Netty while connecting to or talking with {@code origin}, as a coded answer. */
  static FetchException classify(Throwable failure, String origin) {
    if (failure instanceof FetchException known) {
      return known;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      String reason = Describe.failure(cause);
      if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
        return new FetchException(ErrorCode.TIMEOUT, origin + ": " + reason);
      }
      if (cause instanceof SSLException) {
        return new FetchException(ErrorCode.TLS, origin + ": TLS handshake failed: " + rootReason(cause));
      }
      if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
        return new FetchException(ErrorCode.CONNECT, origin + ": cannot connect: " + reason);
      }
      if (cause instanceof UnknownHostException) {
        return new FetchException(ErrorCode.DNS, origin + ": " + reason);
      }
      if (cause instanceof HttpClosedException || cause instanceof StreamResetException) {
        return new FetchException(ErrorCode.UPSTREAM, origin + ": connection closed before a complete response (" + reason + ")");
      }
    }
    return new FetchException(ErrorCode.UPSTREAM, origin + ": " + Describe.failure(failure));
  }


  /** The innermost message: for TLS it says what was wrong with the certificate. */
  private static String rootReason(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return Describe.failure(root);
  }
}
