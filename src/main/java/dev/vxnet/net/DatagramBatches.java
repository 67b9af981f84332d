package dev.vxnet.net;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.spi.transport.Transport;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * The Netty datagram channels of the UDP echo and the Do53 listener, reading in batches where that is faster. On epoll, one {@code recvmmsg} system call reads
 * up to {@code batch} datagrams (switched on by {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE} with a receive
 * buffer of {@code batch} slots), and the answers of one read burst leave with one {@code sendmmsg}. io_uring reads one
 * datagram per operation: its own batching ({@code batch} {@code recvmsg} operations submitted at once, through
 * {@code IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE}) was measured at a third of the speed of one at a time
 * (probably because a burst is handed on only once every operation has a datagram: docs/benchmarks.md).
 */
public final class DatagramBatches {

  private DatagramBatches() {
  }

  /**
   * A new, unregistered datagram channel of Vert.x's {@code transport} for {@code address}'s family, with
   * {@code reusePort} (SO_REUSEPORT), reading up to {@code batch} datagrams of at most {@code slotBytes} bytes each per
   * read on epoll, else one datagram of {@code slotBytes} per read; at most {@code maxMessagesPerRead} reads per
   * readiness event. The family is passed for transports that use it (Vert.x's epoll and io_uring make a dual-stack
   * socket whatever it is).
   */
  public static DatagramChannel newChannel(Transport transport, InetSocketAddress address, boolean reusePort, int slotBytes,
                                           int batch, int maxMessagesPerRead) {
    DatagramChannel channel = transport.datagramChannel(
      address.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    transport.configure(channel, new DatagramSocketOptions().setReusePort(reusePort));
    boolean batched = channel instanceof EpollDatagramChannel;
    if (batched) {
      channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes);
    }
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(batched ? slotBytes * batch : slotBytes)
      .maxMessagesPerRead(maxMessagesPerRead));
    return channel;
  }
}
