package dev.vxnet.dns.resolver;

import dev.vxnet.dns.wire.ClientQuery;
import dev.vxnet.net.DatagramBatches;
import dev.vxnet.net.SourceRateLimiter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * The plain DNS listener's UDP side (RFC 1035 section 4.2.1): each datagram a query, answered from the {@link WireFace}
 * within the requester's UDP size (TC beyond it: the client asks again over TCP). It cannot be made a reflector:
 * <ul>
 *   <li>nothing is sent to source port 0, to ports below 1024 but 53 (echo, chargen, daytime and the like answer
 *       anything, so a spoofed query could start a loop), nor to SSDP (1900) or memcached (11211);</li>
 *   <li>a response (QR set) is never answered, so two DNS servers cannot be set talking to each other;</li>
 *   <li>per source address, at most {@code dns.rate_limit_per_second} queries are answered (token bucket; more are
 *       dropped), and at most {@code dns.rate_limit_bytes_per_second} bytes go back: beyond it a query gets only its
 *       header and question with TC set, no larger than the query itself, which a real client follows over TCP.</li>
 * </ul>
 * A Netty channel on the verticle's event loop rather than Vert.x's {@code DatagramSocket}, whose {@code send} resolves
 * the destination host and flushes each datagram (the UDP echo's path: 0.58x a C server in docs/benchmarks.md): here
 * queries are read in batches (recvmmsg on the native transport), and the answers from the cache are written as they
 * are made and flushed once per batch (sendmmsg).
 */
final class Do53Udp {

  /** What the listener counts, in the service's stats. */
  record Counters(LongAdder queries, LongAdder reflected, LongAdder rateLimited, LongAdder shrunk, LongAdder sendErrors) {
  }

  /** Limits of the listener. */
  record Limits(int udpMaxPayload, SourceRateLimiter queries, SourceRateLimiter bytes) {
  }

  /** A query is at most 512 bytes plus EDNS options in practice; a bigger read buffer only costs memory. */
  private static final int DATAGRAM_BUFFER = 4096;
  /** Datagrams read by one recvmmsg on the native transport. */
  private static final int READ_BATCH = 16;

  private final DatagramChannel channel;

  private Do53Udp(DatagramChannel channel) {
    this.channel = channel;
  }

  /** Binds {@code address} on the event loop of {@code context}; several instances share it with SO_REUSEPORT. */
  static Future<Do53Udp> bind(ContextInternal context, InetSocketAddress address, boolean reusePort, WireFace face,
                              Limits limits, Counters counters) {
    // up to READ_BATCH queries per read; their answers then leave together at the end of the read, instead of one
    // recvmsg and one sendto per query
    DatagramChannel channel = DatagramBatches.newChannel(context.owner().transport(), address, reusePort, DATAGRAM_BUFFER,
      READ_BATCH, 1);
    channel.pipeline().addLast(new Handler(face, limits, counters));
    Promise<Do53Udp> bound = context.promise();
    context.nettyEventLoop().register(channel).addListener(registered -> {
      if (!registered.isSuccess()) {
        bound.tryFail(registered.cause());
        return;
      }
      channel.bind(address).addListener(done -> {
        if (done.isSuccess()) {
          bound.tryComplete(new Do53Udp(channel));
        } else {
          channel.close();
          bound.tryFail(done.cause());
        }
      });
    });
    return bound.future();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    channel.close().addListener(done -> closed.tryComplete());
    return closed.future();
  }

  /** Whether a datagram from {@code port} may be answered: not port 0, not a well-known service that answers anything. */
  static boolean answerable(int port) {
    return port != 0 && (port >= 1024 || port == 53) && port != 1900 && port != 11211;
  }

  private static final class Handler extends ChannelInboundHandlerAdapter {

    private final WireFace face;
    private final Limits limits;
    private final Counters counters;
    private boolean unflushed;

    Handler(WireFace face, Limits limits, Counters counters) {
      this.face = face;
      this.limits = limits;
      this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket packet = (DatagramPacket) msg;
      try {
        counters.queries().increment();
        InetSocketAddress sender = packet.sender();
        if (!answerable(sender.getPort())) {
          counters.reflected().increment();
          return;
        }
        InetAddress source = sender.getAddress();
        if (!limits.queries().tryAcquire(source, System.nanoTime())) {
          counters.rateLimited().increment();
          return;
        }
        ByteBuf content = packet.content();
        byte[] wire = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), wire);
        ClientQuery query = ClientQuery.parse(wire);
        int maxBytes = query.udpLimit(limits.udpMaxPayload());
        Future<byte[]> response = face.respond(query, maxBytes);
        if (response.isComplete()) { // from the cache, or rejected: flushed with the rest of this read
          send(ctx, query, sender, source, response.result(), maxBytes, false);
        } else {
          response.onSuccess(bytes -> send(ctx, query, sender, source, bytes, maxBytes, true));
        }
      } finally {
        packet.release();
      }
    }

    private void send(ChannelHandlerContext ctx, ClientQuery query, InetSocketAddress to, InetAddress source, byte[] response,
                      int maxBytes, boolean flush) {
      if (response == null) {
        return;
      }
      byte[] sent = response;
      if (!limits.bytes().tryAcquire(source, response.length, System.nanoTime()) && query.verdict() == ClientQuery.Verdict.RESOLVE) {
        counters.shrunk().increment();
        sent = query.truncated(maxBytes);
      }
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(sent), to));
      if (flush) {
        ctx.flush();
      } else {
        unflushed = true;
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // A send error for one datagram (an ICMP error, no route) concerns that client only; the socket serves on.
      counters.sendErrors().increment();
    }
  }
}
