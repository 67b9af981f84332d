package dev.vxnet.load;

import dev.vxnet.net.IoUringAssertions;
import io.vertx.core.transport.Transport;

/**
 * The Vert.x transport of {@code --io-transport}. {@code auto} takes io_uring where Netty's io_uring loads and the kernel
 * lets it make a ring, else epoll, else NIO: io_uring makes fewer system calls per operation (TCP ping-pong at about
 * 1.0x of the C load tool on io_uring, 0.78x on epoll, in docs/load.md). A transport named but not available here is a
 * bad option, with its cause.
 */
final class IoTransport {

  private IoTransport() {
  }

  /**
   * The transport {@code text} names: auto, io_uring, epoll or nio.
   *
   * @throws BadOption for another word, or a transport that does not load here
   */
  static Transport choose(String text) throws BadOption {
    IoUringAssertions.switchOff();
    Transport chosen = switch (text) {
      case "auto" -> Transport.IO_URING.available() ? Transport.IO_URING : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case "io_uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> throw BadOption.expected(Option.IO_TRANSPORT, "auto, io_uring, epoll or nio", text);
    };
    if (!chosen.available()) {
      Throwable cause = chosen.unavailabilityCause();
      throw new BadOption("--io-transport: " + text + " is not available here"
        + (cause == null ? "" : " (" + Load.describe(cause) + ")") + "; auto takes the best that is");
    }
    return chosen;
  }
}
