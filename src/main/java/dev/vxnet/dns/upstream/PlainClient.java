package dev.vxnet.dns.upstream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import dev.vxnet.dns.wire.DnsMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain DNS to one upstream: each query over UDP from a fresh socket (the kernel picks a new random source port every
 * time, against off-path spoofing), asked again over TCP (RFC 7766 framing) when the UDP answer is truncated.
 *
 * <p>The UDP socket is <em>connected</em> to the upstream, which Vert.x's {@code DatagramSocket} cannot do, so it is a
 * Netty channel on the verticle's own event loop: the kernel then hands back only the upstream's datagrams, and it
 * reports an ICMP port unreachable as an error on the socket (ECONNREFUSED, Netty's {@link PortUnreachableException})
 * instead of leaving the query to time out. Such a failure is {@link UpstreamFailure#unreachable()}.
 */
final class PlainClient implements UpstreamClient {

  /** Read buffer for one datagram: more than the EDNS payload advertised, so that a larger answer is not cut. */
  private static final int DATAGRAM_BUFFER = 4096;

  private final ContextInternal context;
  private final Upstream upstream;
  private final NetClient tcpClient;
  private final LongAdder tcpRetries;

  PlainClient(ContextInternal context, Upstream upstream, NetClient tcpClient, LongAdder tcpRetries) {
    this.context = context;
    this.upstream = upstream;
    this.tcpClient = tcpClient;
    this.tcpRetries = tcpRetries;
  }

  @Override
  public Future<Message> exchange(Message query, long timeoutMs) {
    return udp(query, timeoutMs).compose(response -> {
      if (!response.getHeader().getFlag(Flags.TC)) {
        return Future.succeededFuture(response);
      }
      tcpRetries.increment();
      return StreamFraming.exchangeOnce(context, tcpClient, new ConnectOptions()
          .setRemoteAddress(SocketAddress.inetSocketAddress(new InetSocketAddress(upstream.address(), upstream.port()))),
          query, timeoutMs)
        .recover(failure -> Future.failedFuture(failure instanceof UpstreamFailure f
          ? new UpstreamFailure("answer truncated over UDP, then over TCP: " + f.getMessage(), f.unreachable())
          : failure));
    });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture(); // nothing stays open between queries
  }

  private Future<Message> udp(Message query, long timeoutMs) {
    Promise<Message> result = UpstreamClient.answerWithin(context, timeoutMs, "");
    DatagramChannel channel = context.owner().transport()
      .datagramChannel(upstream.ipv6() ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    channel.config().setOption(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BUFFER));
    channel.pipeline().addLast(new SimpleChannelInboundHandler<DatagramPacket>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        byte[] data = new byte[packet.content().readableBytes()];
        packet.content().readBytes(data);
        // The socket is connected: only the upstream's datagrams arrive. One with another ID or question is a stray.
        if (data.length >= 2 && ((data[0] & 0xff) << 8 | (data[1] & 0xff)) == query.getHeader().getID()) {
          try {
            Message response = new Message(data);
            if (DnsMessages.answers(response, query)) {
              result.tryComplete(response);
            }
          } catch (IOException | RuntimeException e) {
            result.tryFail(new UpstreamFailure("malformed answer over UDP: " + e.getMessage()));
          }
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        result.tryFail(udpFailure(cause));
      }
    });
    context.nettyEventLoop().register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        result.tryFail(new UpstreamFailure("cannot open a UDP socket: " + registered.cause().getMessage()));
        return;
      }
      channel.connect(new InetSocketAddress(upstream.address(), upstream.port())).addListener(connected -> {
        if (!connected.isSuccess()) {
          result.tryFail(udpFailure(connected.cause()));
          return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(query.toWire())).addListener(sent -> {
          if (!sent.isSuccess()) {
            result.tryFail(udpFailure(sent.cause()));
          }
        });
      });
    });
    return result.future().onComplete(done -> channel.close());
  }

  private static UpstreamFailure udpFailure(Throwable cause) {
    if (cause instanceof PortUnreachableException || cause instanceof ConnectException) {
      return new UpstreamFailure("port unreachable (ICMP): nothing listens there", true);
    }
    return new UpstreamFailure("UDP error: " + cause.getMessage());
  }
}
