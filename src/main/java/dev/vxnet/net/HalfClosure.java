package dev.vxnet.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.function.BooleanSupplier;

/**
 * Lets a TCP connection outlive its peer's FIN (RFC 9293 section 3.6: a FIN ends the peer's sending only), so that
 * answers already asked for are still written. Netty's default closes the connection as soon as it reads the FIN; a
 * client that sends its request and then half-closes (HTTP with {@code nc -N}, a DNS
 * query over TCP then {@code shutdown(SHUT_WR)}, a bridge frame piped in) lost every answer that was not written yet:
 * each one that goes over the event bus (DoH, fetch, a bridge request, a DNS answer), and on io_uring, whose writes
 * complete asynchronously, even answers written at once. With this, the FIN is reported to the service instead, which
 * closes once its answers in flight are written; a connection idle at the FIN is closed at once, as before.
 *
 * <p>Both methods must run on the connection's event loop before its first read: in a Vert.x connect or connection
 * handler.
 */
public final class HalfClosure {

  private HalfClosure() {
  }

  /** Runs {@code inputEnded} once, on the socket's event loop, when its peer has sent its FIN. */
  public static void onInputEnd(NetSocket socket, Runnable inputEnded) {
    install((ConnectionBase) socket, inputEnded);
  }

  /**
   * Runs {@code close} (a Vert.x close: what is queued is written first) if {@code done} still holds one event-loop
   * turn from now. A service calls it when, after the peer's FIN, nothing it was asked is left in flight: the turn lets
   * what Vert.x still holds for a paused socket or connection (read before the FIN, delivered by the resume's own task,
   * a pipelined HTTP request) reach the service first. Call on the connection's context.
   */
  public static void closeWhenDone(BooleanSupplier done, Runnable close) {
    Vertx.currentContext().runOnContext(v -> {
      if (done.getAsBoolean()) {
        close.run();
      }
    });
  }

  /**
   * On an HTTP/1.x connection, runs {@code inputEnded} at the peer's FIN: the server then closes the connection once
   * every request received before it is answered, pipelined ones too (a large file or an event stream as well: the
   * idle timeout ends one that stalls, and a write to a client that closed both ways fails and closes it). It closes at
   * once when the FIN cuts a request's body ({@code readingBody}: that request can never be whole) and when the
   * connection was upgraded to a WebSocket. HTTP/2 connections are left as they are: their streams end with their own
   * END_STREAM flags, and a FIN without GOAWAY ends the connection.
   */
  public static void onInputEnd(HttpConnection connection, BooleanSupplier readingBody, Runnable inputEnded) {
    if (!(connection instanceof Http1xServerConnection base)) {
      return; // HTTP/2
    }
    ChannelHandlerContext vertx = base.channelHandlerContext();
    install(base, () -> {
      if (vertx.isRemoved() || readingBody.getAsBoolean()) { // removed: Vert.x's WebSocket handler replaced it
        closeAtFin(vertx.channel());
      } else {
        inputEnded.run();
      }
    });
  }

  private static void install(ConnectionBase connection, Runnable inputEnded) {
    ChannelHandlerContext vertx = connection.channelHandlerContext();
    vertx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertx.pipeline().addBefore(vertx.name(), "vxnet-half-closure", new InputEnd(inputEnded));
  }

  /**
   * Closes {@code channel} as Netty does at a FIN without half-closure: under the pipeline, so that Vert.x sees the
   * peer gone (a WebSocket without its close frame, a request cut short: counted as client aborts) rather than a
   * close of its own, which it would turn into a graceful one.
   */
  private static void closeAtFin(Channel channel) {
    channel.unsafe().close(channel.voidPromise());
  }

  /**
   * Turns the FIN event into the service's callback; every other event goes on to Vert.x. After a TLS close_notify
   * from the peer, its FIN closes the connection at once, as Netty does without half-closure: the TLS engine has
   * closed the session both ways at the close_notify (TLS 1.2's rule, RFC 5246 section 7.2.1), so nothing more could
   * be written.
   */
  private static final class InputEnd extends ChannelInboundHandlerAdapter {

    private final Runnable inputEnded;
    private boolean ended;
    private boolean tlsClosedByPeer;

    InputEnd(Runnable inputEnded) {
      this.inputEnded = inputEnded;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof SslCloseCompletionEvent) {
        tlsClosedByPeer = true;
      } else if (event instanceof ChannelInputShutdownEvent) {
        if (tlsClosedByPeer) {
          closeAtFin(ctx.channel());
        } else if (!ended) {
          ended = true;
          inputEnded.run();
        }
        return;
      }
      ctx.fireUserEventTriggered(event);
    }
  }
}
