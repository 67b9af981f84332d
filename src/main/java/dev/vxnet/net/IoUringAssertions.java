package dev.vxnet.net;

import io.netty.channel.Channel;

/**
 * Netty 4.2.9's {@code IoUringIoHandler.iovArray()} asserts that the event loop's shared iovec array is empty, while
 * its callers append at the array's current count (the writes of several connections go in one submission). With
 * assertions on ({@code -ea}, and in every test JVM) the assertion fails inside the event loop and that connection's
 * writes stall; without it the code is right. Found with vxnet load (docs/load.md).
 */
public final class IoUringAssertions {

  private IoUringAssertions() {
  }

  /** Switches assertions off for {@code io.netty.channel.uring}; call before any of its classes loads. */
  public static void switchOff() {
    Channel.class.getClassLoader().setPackageAssertionStatus("io.netty.channel.uring", false);
  }
}
