package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.VertxConnection;

/**
 * One HTTP/1.1 keep-alive connection of {@code vxnet load http}, one level below Vert.x's HttpClient, where that client's
 * request and response objects, futures and pool cost more than wrk's whole request loop (0.64x of wrk against nginx,
 * measured in docs/load.md). Vert.x's NetClient connects and does TLS; Netty's {@link HttpResponseDecoder} in the
 * connection's pipeline parses responses (status line, Content-Length, chunked, or body to the close: RFC 9112 section
 * 6.3); every request is the same bytes, encoded once ({@link HttpLoad#encodedRequest}) and written with no copy.
 *
 * <p>One request in flight at a time (no pipelining). A connection the server closes between requests (Connection:
 * close, an idle timeout) is opened again before the next request and counted in {@code connections_opened}; a
 * response cut short by a close fails as CLOSED, one not complete within --timeout as TIMEOUT, one that does not parse
 * as MALFORMED, and in each case the connection is closed and opened again for the next request (one attempt at a
 * time). A response to no request counts as UNEXPECTED and closes its connection. A connection that cannot be opened
 * again ends the session (CONNECT), as with the pooled client.
 */
final class Http1Connection extends Session {

  /** The decoder keeps headers unvalidated (they are only counted) and body chunks as they come (no aggregation). */
  private static final HttpDecoderConfig DECODER = new HttpDecoderConfig().setValidateHeaders(false).setMaxChunkSize(1 << 16);
  private static final String HTTP_1_1 = HttpLoad.VERSION + "http/1.1";
  private static final String HTTP_1_0 = HttpLoad.VERSION + "http/1.0";

  private final NetClient client;
  private final ConnectOptions target;
  /** The encoded request, shared by every connection of the run and never released. */
  private final ByteBuf request;
  private final StatusKeys statusKeys;
  private NetSocketInternal socket;
  private VertxConnection connection;
  private ChannelPromise noPromise;
  /** The connection is being opened again; one attempt at a time. */
  private boolean connecting;
  /** A request was sent while its connection was being opened again: it is written once the connection is open. */
  private boolean requestPending;
  private long intendedAt;
  private long sentAt;
  private int status;
  private boolean keepAlive;
  private long bodyBytes;
  private String version;

  Http1Connection(Worker worker, NetClient client, ConnectOptions target, ByteBuf request, StatusKeys statusKeys) {
    super(worker, 1);
    this.client = client;
    this.target = target;
    this.request = request;
    this.statusKeys = statusKeys;
  }

  /** The status tally keys ("status 200") made once per code, not once per response. */
  static final class StatusKeys {
    private final String[] keys = new String[1000];

    String of(int status) {
      if (status < 0 || status >= keys.length) {
        return HttpLoad.STATUS + status;
      }
      String key = keys[status];
      return key != null ? key : (keys[status] = HttpLoad.STATUS + status);
    }
  }

  /** Opens the connection, TLS handshake included, before the clock starts. */
  @Override
  Future<?> open() {
    return connect().recover(failure -> Future.failedFuture(HttpLoad.describeConnectFailure(failure)));
  }

  private Future<NetSocket> connect() {
    return client.connect(target).onSuccess(connected -> {
      if (!isOpen()) {
        connected.close(); // the run ended while it connected
        return;
      }
      NetSocketInternal opened = (NetSocketInternal) connected;
      opened.channelHandlerContext().pipeline().addBefore("handler", "http-response-decoder", new HttpResponseDecoder(DECODER));
      // Raw messages from the decoder, and writes straight to the channel from its event loop: no queue, no promise.
      opened.messageHandler(message -> {
        try {
          received(opened, (HttpObject) message);
        } finally {
          ReferenceCountUtil.release(message);
        }
      });
      opened.exceptionHandler(failure -> dropConnection(opened, ErrorKind.CLOSED, Load.describe(failure)));
      opened.closeHandler(closed -> dropConnection(opened, ErrorKind.CLOSED, "connection closed by the server before the response was complete"));
      socket = opened;
      connection = (VertxConnection) connected;
      noPromise = opened.channelHandlerContext().voidPromise();
      worker.tallyAlways(HttpLoad.CONNECTIONS_OPENED);
    });
  }

  @Override
  protected void send(long intended, long now) {
    intendedAt = intended;
    sentAt = now;
    status = 0;
    bodyBytes = 0;
    if (socket != null) {
      connection.write(request.duplicate(), false, noPromise);
      return;
    }
    requestPending = true;
    if (!connecting) {
      connecting = true;
      connect().onComplete(opened -> {
        connecting = false;
        if (!isOpen()) {
          return; // the run is over
        }
        if (opened.failed()) {
          requestPending = false;
          lost(ErrorKind.CONNECT, HttpLoad.describeConnectFailure(opened.cause()));
        } else if (requestPending) { // else the request expired while the connection opened: the next one goes on it
          requestPending = false;
          connection.write(request.duplicate(), true, noPromise);
        }
      });
    }
  }

  private void received(NetSocketInternal from, HttpObject message) {
    if (from != socket) {
      return; // a connection already given up (timed out)
    }
    DecoderResult parsed = message.decoderResult();
    if (parsed.isFailure()) {
      // a close in the middle of a response head is a close, not a malformed response
      boolean cut = parsed.cause() instanceof PrematureChannelClosureException;
      dropConnection(from, cut ? ErrorKind.CLOSED : ErrorKind.MALFORMED,
        cut ? "connection closed by the server before the response was complete" : "malformed HTTP response: " + Load.describe(parsed.cause()));
      return;
    }
    if (outstanding == 0) {
      forget(from).close();
      if (!worker.isStopping()) {
        worker.error(ErrorKind.UNEXPECTED, "the server sent a response to no request");
      }
      return;
    }
    if (message instanceof HttpResponse response) {
      status = response.status().code();
      keepAlive = HttpUtil.isKeepAlive(response);
      version = response.protocolVersion() == HttpVersion.HTTP_1_0 ? HTTP_1_0 : HTTP_1_1;
    }
    if (message instanceof HttpContent content) {
      bodyBytes += content.content().readableBytes();
      if (message instanceof LastHttpContent) {
        complete(from);
      }
    }
  }

  private void complete(NetSocketInternal from) {
    if (status >= 100 && status < 200) {
      return; // an interim response (RFC 9110 section 15.2): the final one follows
    }
    if (!keepAlive || !from.channelHandlerContext().channel().isActive()) {
      forget(from).close(); // Connection: close, or a body that ran to the close (RFC 9112 section 6.3, rule 8)
    }
    worker.tally(version);
    worker.tally(statusKeys.of(status));
    if (status >= 200 && status < 400) {
      succeeded(intendedAt, sentAt, bodyBytes);
    } else {
      failed(ErrorKind.STATUS, "HTTP status " + status);
    }
  }

  /** Gives up {@code from} (when it is still the connection) and fails the request in flight on it with {@code kind}. */
  private void dropConnection(NetSocketInternal from, ErrorKind kind, String detail) {
    if (from != socket) {
      return;
    }
    forget(from).close();
    if (outstanding > 0 && isOpen()) {
      failed(kind, detail);
    }
  }

  /** Forgets {@code from} as this session's connection, so that its close is not taken for the server's. */
  private NetSocketInternal forget(NetSocketInternal from) {
    socket = null;
    connection = null;
    return from;
  }

  @Override
  void expire(long deadline) {
    if (outstanding > 0 && sentAt - deadline < 0) {
      String detail = "no complete response within " + worker.settings.timeoutMs() + " ms";
      if (socket != null) {
        dropConnection(socket, ErrorKind.TIMEOUT, detail);
      } else if (requestPending) {
        requestPending = false;
        failed(ErrorKind.TIMEOUT, detail);
      }
    }
  }

  @Override
  Future<?> close() {
    return markClosed() && socket != null ? forget(socket).close() : Future.succeededFuture();
  }
}
