package dev.vxnet.https;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;

/**
 * Refuses an HTTP/1.x request line whose version is neither {@code HTTP/1.0} nor {@code HTTP/1.1} as the client's
 * mistake. RFC 9112 section 2.3: the version is {@code HTTP/DIGIT.DIGIT} with {@code HTTP} in capitals. Netty reads
 * {@code HTTp/1.1} or {@code HTTP/7.3} as versions of their own, and Vert.x 5.0.7 then answers a bare 501 and closes
 * (found by FuzzIT). Here such a request is marked malformed as Netty decodes it, so it takes the path of every other
 * malformed request: the server's invalid-request handler answers 400 with a message naming the version, counts it in
 * {@code invalid_requests}, and closes the connection.
 */
final class Http1VersionScreen extends ChannelInboundHandlerAdapter {

  /** The decoding failure a refused version leaves on its request: its message is the answer's. */
  static final class UnknownVersion extends IllegalArgumentException {
    private UnknownVersion(String message) {
      super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // a client's mistake: no stack trace to fill
    }
  }

  private Http1VersionScreen() {
  }

  /** Puts the screen behind Netty's HTTP/1.x request decoder on {@code connection}, if it is an HTTP/1.x server one. */
  static void install(HttpConnection connection) {
    if (connection instanceof Http1xServerConnection http1) {
      ChannelPipeline pipeline = http1.channelHandlerContext().pipeline();
      if (pipeline.get("httpDecoder") != null && pipeline.get(Http1VersionScreen.class) == null) {
        pipeline.addAfter("httpDecoder", "vxnetVersionScreen", new Http1VersionScreen());
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      HttpVersion version = request.protocolVersion();
      // Netty hands out its own constants for exactly "HTTP/1.0" and "HTTP/1.1"; anything else is a new object
      if (version != HttpVersion.HTTP_1_0 && version != HttpVersion.HTTP_1_1) {
        request.setProtocolVersion(HttpVersion.HTTP_1_1); // the 400 goes out in a version the client can read
        // Netty keeps the version in capitals: one that reads HTTP/1.x here differed only in letter case
        String got = version.text().equals("HTTP/1.1") || version.text().equals("HTTP/1.0")
          ? "\"HTTP\" not in capitals" : "\"" + version.text() + "\"";
        request.setDecoderResult(DecoderResult.failure(new UnknownVersion(
          "request line: HTTP version: expected HTTP/1.1 or HTTP/1.0 (RFC 9112 section 2.3), got " + got)));
      }
    }
    ctx.fireChannelRead(msg);
  }
}
