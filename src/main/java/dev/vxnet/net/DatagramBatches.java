package dev.vxnet.net;

import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;

/**
 * Reads a native datagram channel in batches. On epoll, one {@code recvmmsg} system call reads up to {@code batch}
 * datagrams; on io_uring, {@code batch} {@code recvmsg} operations are submitted at once (Netty's emulation of
 * {@code recvmmsg}), where one at a time was measured at 0.8 of the C reference (docs/benchmarks.md). Either way the
 * answers of one read burst leave with one flush ({@code sendmmsg}, or one submission). Both are switched on by the
 * transport's {@code MAX_DATAGRAM_PAYLOAD_SIZE} option with a receive buffer of {@code batch} slots.
 */
public final class DatagramBatches {

  private DatagramBatches() {
  }

  /**
   * Sets {@code channel} (not yet registered) to read up to {@code batch} datagrams of at most {@code slotBytes} bytes
   * each per read, at most {@code maxMessagesPerRead} reads per readiness event; on NIO, one datagram of
   * {@code slotBytes} per read.
   *
   * @return whether the channel reads in batches (a native transport)
   */
  public static boolean configure(DatagramChannel channel, int slotBytes, int batch, int maxMessagesPerRead) {
    ChannelOption<Integer> payload = channel instanceof EpollDatagramChannel ? EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE
      : channel instanceof IoUringDatagramChannel ? IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE : null;
    if (payload != null) {
      channel.config().setOption(payload, slotBytes);
    }
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(payload != null ? slotBytes * batch : slotBytes)
      .maxMessagesPerRead(maxMessagesPerRead));
    return payload != null;
  }
}
