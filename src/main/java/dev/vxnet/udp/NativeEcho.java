package dev.vxnet.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.impl.transports.EpollTransport;
import dev.vxnet.net.DatagramBatches;
import dev.vxnet.net.NodeTransport;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.spi.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The UDP echo on a netty datagram channel of the native transport's own, registered on the verticle's event loop when
 * the node runs on epoll, and on an epoll event loop of its own (one thread per instance) when the node runs on
 * io_uring: it answers a read burst's datagrams with one flush and each answer reuses the received pooled buffer (no
 * copy). On epoll it reads up to {@link #BATCH} datagrams per system call ({@link DatagramBatches}: {@code recvmmsg})
 * and a flush sends them together ({@code sendmmsg}); io_uring reads one datagram per operation, measured at 0.71-0.81
 * of the C reference against 1.03 for epoll (docs/benchmarks.md), hence the epoll loop of its own there. Vert.x's
 * {@code DatagramSocket} reads one datagram per call and sends each answer with its own system call (measured: 3
 * system calls per datagram, docs/profiles.md), and cannot batch through its API. {@code SO_REUSEPORT} lets every
 * instance bind the same port, as with Vert.x's socket. On its own loop the echo touches no Vert.x context state: the
 * counters are {@code LongAdder}s and the shared rate limiter is synchronized; the instance's {@code ReflectionGuard}
 * is not thread-safe and needs none, as each instance's loop is one thread.
 */
final class NativeEcho {

  private static final Logger LOG = LoggerFactory.getLogger(NativeEcho.class);

  /** Datagrams read per {@code recvmmsg}, as the C reference server (cudpecho) does. */
  static final int BATCH = 32;
  /** Datagrams read per readiness event before the event loop turns to its other channels. */
  private static final int MAX_MESSAGES_PER_READ = 4 * BATCH;

  private NativeEcho() {
  }

  /** Whether this Vert.x runs on a native transport (epoll or io_uring), whose datagram channel this echo uses. */
  static boolean usable(Vertx vertx) {
    String transport = NodeTransport.nameOf(vertx);
    return transport.equals("epoll") || transport.equals("io_uring");
  }

  /**
   * Binds the echo to {@code host:port}: on {@code context}'s event loop, or on an epoll event loop of its own when the
   * node runs on io_uring and epoll loads here.
   *
   * @param receiveBufferBytes SO_RCVBUF, bytes
   * @return the bound echo; failed with netty's or the resolver's exception when the bind fails (its own loop is then
   *         shut down)
   */
  static Future<Bound> bind(Vertx vertx, Context context, String host, int port, int receiveBufferBytes,
                            EchoPolicy policy, EchoCounters counters) {
    EventLoop contextLoop = ((ContextInternal) context).nettyEventLoop();
    boolean ownLoop = NodeTransport.nameOf(vertx).equals("io_uring") && NodeTransport.epollAvailable();
    EventLoopGroup own = ownLoop ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vxnet-udp-epoll", true),
      EpollIoHandler.newFactory()) : null;
    Transport transport = ownLoop ? new EpollTransport() : ((VertxInternal) vertx).transport();
    // each datagram gets a slot one byte larger than allowed, so that a longer one shows as oversize, not truncated
    int slot = policy.maxDatagramBytes() + 1;
    Bootstrap bootstrap = new Bootstrap()
      .group(ownLoop ? own.next() : contextLoop)
      .option(ChannelOption.SO_RCVBUF, receiveBufferBytes)
      .handler(new Handler(policy, counters));
    Promise<Bound> bound = ((ContextInternal) context).promise();
    // resolved on the context's loop: Vert.x's resolver makes its own channels of the node's transport on the loop given
    ((VertxInternal) vertx).nameResolver().resolve(contextLoop, host).addListener(resolved -> {
      if (!resolved.isSuccess()) {
        bound.fail(resolved.cause());
        return;
      }
      InetSocketAddress address = new InetSocketAddress(((InetSocketAddress) resolved.getNow()).getAddress(), port);
      bootstrap.channelFactory(() -> DatagramBatches.newChannel(transport, address, true, slot, BATCH, MAX_MESSAGES_PER_READ))
        .bind(address).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          bound.complete(new Bound(f.channel(), own));
        } else {
          bound.fail(f.cause());
        }
      });
    });
    return bound.future().onFailure(failure -> new Bound(null, own).close(context));
  }

  /**
   * The echo's bound channel and, when it runs on one, its own event loop.
   *
   * @param channel the datagram channel; null only for a bind that failed
   * @param ownLoop the echo's own epoll event loop group; null when it runs on the verticle's
   */
  record Bound(Channel channel, EventLoopGroup ownLoop) {

    /** The transport its datagrams go through, for the start's debug line: epoll or io_uring. */
    String transport() {
      return channel instanceof EpollDatagramChannel ? "epoll" : "io_uring";
    }

    /**
     * Closes the channel, then shuts its own event loop down; completes on {@code context} once both are done, never
     * fails.
     */
    Future<Void> close(Context context) {
      Promise<Void> closed = ((ContextInternal) context).promise();
      Runnable shutDownLoop = () -> {
        if (ownLoop == null) {
          closed.complete();
        } else {
          ownLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).addListener(done -> closed.complete());
        }
      };
      if (channel == null) {
        shutDownLoop.run();
      } else {
        channel.close().addListener(done -> shutDownLoop.run());
      }
      return closed.future();
    }
  }

  /**
   * Answers each admitted datagram with its own bytes and flushes once per read burst; reading pauses while the
   * channel's outbound buffer is over its high-water mark (the socket's send buffer full), so a flood cannot queue
   * answers without bound.
   */
  static final class Handler extends ChannelInboundHandlerAdapter {

    private final EchoPolicy policy;
    private final EchoCounters counters;
    private final ChannelFutureListener countSent;

    Handler(EchoPolicy policy, EchoCounters counters) {
      this.policy = policy;
      this.counters = counters;
      this.countSent = f -> (f.isSuccess() ? counters.sent : counters.sendErrors).increment();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      ByteBuf content = packet.content();
      InetSocketAddress sender = packet.sender();
      int length = content.readableBytes();
      if (!counters.admit(policy.decide(length, sender.getAddress(), sender.getPort(), System.nanoTime()), length)) {
        packet.release();
      } else if (length == 0) {
        packet.release();
        (EmptyDatagram.sendNow(ctx.channel(), sender.getAddress(), sender.getPort()) ? counters.sent : counters.sendErrors).increment();
      } else {
        // the received buffer becomes the answer's: released by netty once sent
        ctx.write(new DatagramPacket(content, sender), ctx.newPromise().addListener(countSent));
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // a failed read or an ICMP error: the channel stays open for every other source
      LOG.debug("udp: {}", cause.toString());
    }
  }
}
