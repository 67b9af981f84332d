package dev.vxnet.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
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

/**
 * The UDP echo on a netty datagram channel of the native transport's own (epoll or io_uring), registered on the
 * verticle's event loop: it answers a read burst's datagrams with one flush and each answer reuses the received pooled
 * buffer (no copy). On epoll it reads up to {@link #BATCH} datagrams per system call ({@link DatagramBatches}:
 * {@code recvmmsg}) and a flush sends them together ({@code sendmmsg}). Vert.x's {@code DatagramSocket} reads one datagram per call and sends
 * each answer with its own system call (measured: 3 system calls per datagram, docs/profiles.md), and cannot batch
 * through its API. {@code SO_REUSEPORT} lets every instance bind the same port, as with Vert.x's socket.
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
   * Binds the echo to {@code host:port} on {@code context}'s event loop.
   *
   * @param receiveBufferBytes SO_RCVBUF, bytes
   * @return the bound channel; failed with netty's or the resolver's exception when the bind fails
   */
  static Future<Channel> bind(Vertx vertx, Context context, String host, int port, int receiveBufferBytes,
                              EchoPolicy policy, EchoCounters counters) {
    EventLoop loop = ((ContextInternal) context).nettyEventLoop();
    // each datagram gets a slot one byte larger than allowed, so that a longer one shows as oversize, not truncated
    int slot = policy.maxDatagramBytes() + 1;
    Transport transport = ((VertxInternal) vertx).transport();
    Bootstrap bootstrap = new Bootstrap()
      .group(loop)
      .option(ChannelOption.SO_RCVBUF, receiveBufferBytes)
      .handler(new Handler(policy, counters));
    Promise<Channel> bound = ((ContextInternal) context).promise();
    ((VertxInternal) vertx).nameResolver().resolve(loop, host).addListener(resolved -> {
      if (!resolved.isSuccess()) {
        bound.fail(resolved.cause());
        return;
      }
      InetSocketAddress address = new InetSocketAddress(((InetSocketAddress) resolved.getNow()).getAddress(), port);
      bootstrap.channelFactory(() -> DatagramBatches.newChannel(transport, address, true, slot, BATCH, MAX_MESSAGES_PER_READ))
        .bind(address).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          bound.complete(f.channel());
        } else {
          bound.fail(f.cause());
        }
      });
    });
    return bound.future();
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
