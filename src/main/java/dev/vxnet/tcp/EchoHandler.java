package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.HalfClosure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Echoes one connection. The bytes are echoed by a netty handler placed in the connection's pipeline right before
 * Vert.x's own: each pooled read buffer is written back as it is and the writes of one read burst are flushed once
 * (as netty's {@code EchoServerHandler}), so no read is copied to the heap and back ({@code VertxHandler.safeBuffer}
 * copies every buffer it hands to a {@code NetSocket} handler; measured 13 % + 8 % of the event loop in bulk,
 * docs/profiles.md). Vert.x keeps the rest: the connection's life, idle timeout ({@code tcp.idle_timeout_ms}, its
 * idle handler sits before this one and sees every read and write), close and exceptions.
 *
 * <p>Backpressure: reading stops while the connection's outbound buffer is over {@code tcp.write_queue_max_bytes} (the
 * channel's high-water mark; writable again below half of it), so a client that writes and never reads is held back
 * by TCP flow control instead of filling the heap.
 *
 * <p>Drain: when the node stops (the socket's shutdown handler), the echo goes on for what the client already sent:
 * the connection is ended once it has been quiet for {@link #DRAIN_QUIET_MS} while reading, with everything echoed
 * and flushed (or closed by the server at {@code node.shutdown_timeout_ms}).
 */
final class EchoHandler implements Handler<NetSocket> {

  /** During a drain, a connection with nothing received for this long has nothing left in flight, ms. */
  static final long DRAIN_QUIET_MS = 200;

  /** The drain of a connection, set once the node stops. */
  private static final AttributeKey<Drain> DRAIN = AttributeKey.valueOf("vxnet-echo-drain");

  private final ConnectionLimit limit;
  private final int writeQueueMaxBytes;
  private final LongAdder open;
  private final LongAdder total;
  private final LongAdder refused;
  private final ByteEcho echo;

  EchoHandler(ConnectionLimit limit, Counters counters, int writeQueueMaxBytes) {
    this.limit = limit;
    this.writeQueueMaxBytes = writeQueueMaxBytes;
    this.open = counters.counter("open");
    this.total = counters.counter("total");
    this.refused = counters.counter("refused");
    this.echo = new ByteEcho(counters.counter("bytes_in"), counters.counter("bytes_out"));
  }

  @Override
  public void handle(NetSocket socket) {
    if (!limit.tryAcquire()) {
      refused.increment();
      socket.close();
      return;
    }
    open.increment();
    total.increment();
    socket.setWriteQueueMaxSize(writeQueueMaxBytes); // the channel's water marks: half and all of it
    socket.closeHandler(v -> {
      open.decrement();
      limit.release();
    });
    socket.exceptionHandler(failure -> socket.close());
    // Vert.x calls this handler while adding its own to the pipeline, before the first read: no byte passes it
    ChannelHandlerContext vertx = ((NetSocketInternal) socket).channelHandlerContext();
    vertx.pipeline().addBefore(vertx.name(), "vxnet-echo", echo);
    Channel channel = vertx.channel();
    // The client's FIN ends its input only: the echo of what it sent is written, then the connection closes. Closing
    // at the FIN itself would drop echoes still being written, which io_uring's asynchronous writes make likely (seen:
    // "ping" then a half-close got nothing back).
    HalfClosure.onInputEnd(socket, socket::close);
    socket.shutdownHandler(v -> {
      Drain drain = new Drain(socket, channel);
      channel.attr(DRAIN).set(drain);
      drain.activity();
    });
  }

  /** The echo itself; stateless, so one instance serves every connection of the verticle instance. */
  @io.netty.channel.ChannelHandler.Sharable
  static final class ByteEcho extends ChannelInboundHandlerAdapter {

    private final LongAdder bytesIn;
    private final LongAdder bytesOut;

    ByteEcho(LongAdder bytesIn, LongAdder bytesOut) {
      this.bytesIn = bytesIn;
      this.bytesOut = bytesOut;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf data)) {
        ctx.fireChannelRead(msg);
        return;
      }
      int length = data.readableBytes();
      bytesIn.add(length);
      ctx.write(data, ctx.newPromise().addListener(f -> {
        if (f.isSuccess()) {
          bytesOut.add(length);
        }
      }));
      if (!ctx.channel().isWritable()) {
        // over the high-water mark before the burst's flush: flush now, and stop reading only if the socket is full
        ctx.flush();
        if (!ctx.channel().isWritable()) {
          ctx.channel().config().setAutoRead(false);
        }
      }
      drainActivity(ctx.channel());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
      ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        ctx.channel().config().setAutoRead(true);
      }
      drainActivity(ctx.channel());
      ctx.fireChannelWritabilityChanged();
    }

    private static void drainActivity(Channel channel) {
      Drain drain = channel.attr(DRAIN).get();
      if (drain != null) {
        drain.activity();
      }
    }
  }

  /** The end of one connection during the node's drain, once it is quiet (confined to the channel's event loop). */
  private static final class Drain {
    private final NetSocket socket;
    private final Channel channel;
    private ScheduledFuture<?> quiet;

    Drain(NetSocket socket, Channel channel) {
      this.socket = socket;
      this.channel = channel;
    }

    /**
     * Data came in or writability changed: the quiet period starts again, unless reading is stopped for backpressure
     * (then the client has yet to read its echo, and it is not quiet).
     */
    void activity() {
      if (quiet != null) {
        quiet.cancel(false);
        quiet = null;
      }
      if (channel.config().isAutoRead()) {
        // end: what is queued is flushed, then the connection closes
        quiet = channel.eventLoop().schedule(() -> {
          socket.end();
        }, DRAIN_QUIET_MS, TimeUnit.MILLISECONDS);
      }
    }
  }
}
