package dev.vxnet.https;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http2ServerConnection;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks the authority of each HTTP/2 request ({@code :authority} and {@code host}, {@link HttpSyntax#authorityProblem})
 * before Vert.x parses it: Vert.x 5.0.7 parses it as the stream opens and its parser throws on {@code %}, which
 * Netty then treats as a connection error (GOAWAY: every stream of the connection lost). A bad one is answered on its
 * own stream instead: 400 with the problem as JSON, then RST_STREAM(NO_ERROR) if the client was still sending (RFC
 * 9113 section 8.1.1 lets a server answer a malformed request before resetting its stream). The other streams go on.
 */
final class Http2AuthorityScreen extends Http2FrameListenerDecorator {

  private final Http2ConnectionHandler handler;
  private final LongAdder refused;

  private Http2AuthorityScreen(Http2FrameListener listener, Http2ConnectionHandler handler, LongAdder refused) {
    super(listener);
    this.handler = handler;
    this.refused = refused;
  }

  /** Puts the screen in front of Vert.x on {@code connection} if it is an HTTP/2 server connection. */
  static void install(HttpConnection connection, LongAdder refused) {
    if (connection instanceof Http2ServerConnection http2
      && http2.channelHandlerContext().handler() instanceof Http2ConnectionHandler handler) {
      handler.decoder().frameListener(new Http2AuthorityScreen(handler.decoder().frameListener(), handler, refused));
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endOfStream)
    throws Http2Exception {
    if (!refused(ctx, streamId, headers, endOfStream)) {
      super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency, short weight,
                            boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    if (!refused(ctx, streamId, headers, endOfStream)) {
      super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }
  }

  private boolean refused(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endOfStream) {
    Optional<String> problem = problem(":authority", headers.authority())
      .or(() -> problem("host", headers.get("host")));
    if (problem.isEmpty()) {
      return false;
    }
    refused.increment();
    ByteBuf body = Unpooled.copiedBuffer("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":"
      + io.vertx.core.json.Json.encode(problem.get()) + "}}\n", StandardCharsets.UTF_8);
    Http2Headers answer = new DefaultHttp2Headers().status("400")
      .set("content-type", "application/json").set("cache-control", "no-store")
      .setInt("content-length", body.readableBytes());
    handler.encoder().writeHeaders(ctx, streamId, answer, 0, false, ctx.newPromise());
    handler.encoder().writeData(ctx, streamId, body, 0, true, ctx.newPromise());
    if (!endOfStream) {
      handler.resetStream(ctx, streamId, Http2Error.NO_ERROR.code(), ctx.newPromise());
    }
    handler.flush(ctx); // the answer's frames leave the flow controller for the channel
    // Vert.x never saw this stream, and its connection-error handler assumes every active stream is one of its own
    // (Vert.x 5.0.7 Http2ConnectionBase.onConnectionError: a NullPointerException, logged with a stack trace, when a
    // write of the connection fails while such a stream is open; io_uring completes writes later, so it stays open).
    // Once the whole answer is in the channel's buffer, closing the stream keeps it out of Vert.x's sight.
    Http2Stream stream = handler.connection().stream(streamId);
    if (stream != null && !handler.encoder().flowController().hasFlowControlled(stream)) {
      stream.close();
    }
    return true;
  }

  private static Optional<String> problem(String name, CharSequence value) {
    return value == null ? Optional.empty()
      : HttpSyntax.authorityProblem(value.toString()).map(problem -> name + ": " + problem);
  }
}
