package dev.vxnet.net;

import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;

/**
 * Reads a native datagram channel in batches where that is faster. On epoll, one {@code recvmmsg} system call reads
 * up to {@code batch} datagrams (switched on by {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE} with a receive
 * buffer of {@code batch} slots), and the answers of one read burst leave with one {@code sendmmsg}. io_uring reads one
 * datagram per operation: its own batching ({@code batch} {@code recvmsg} operations submitted at once, through
 * {@code IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE}) was measured at a third of the speed of one at a time (the
 * burst only completes once every operation has a datagram: docs/benchmarks.md).
 */
public final class DatagramBatches {

  private DatagramBatches() {
  }

  /**
   * Sets {@code channel} (not yet registered) to read up to {@code batch} datagrams of at most {@code slotBytes} bytes
   * each per read on epoll, else one datagram of {@code slotBytes} per read; at most {@code maxMessagesPerRead} reads
   * per readiness event.
   *
   * @return whether the channel reads in batches (epoll)
   */
  public static boolean configure(DatagramChannel channel, int slotBytes, int batch, int maxMessagesPerRead) {
    boolean batched = channel instanceof EpollDatagramChannel;
    if (batched) {
      channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slotBytes);
    }
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(batched ? slotBytes * batch : slotBytes)
      .maxMessagesPerRead(maxMessagesPerRead));
    return batched;
  }
}
