package dev.vxnet.udp;

import io.netty.channel.Channel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.datagram.DatagramSocket;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * Sends a zero-length datagram, the RFC 862 answer to a zero-length one (RFC 768 allows empty UDP payloads). Netty
 * 4.2 silently drops an empty datagram on write (EpollDatagramChannel and NioDatagramChannel alike) while reporting
 * success, so this writes it with {@code sendto(2)} on the socket's own descriptor, on its event loop, from the
 * echo's own port as the client expects. Possible on a native transport only (epoll or io_uring, whose channels
 * expose their descriptor; for Vert.x's datagram socket, whose Netty channel is a private field read here once);
 * elsewhere the answer fails and is counted as a send error.
 */
final class EmptyDatagram {

  private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0);
  private static final Field CHANNEL = channelField();

  private EmptyDatagram() {
  }

  private static Field channelField() {
    try {
      Field field = Class.forName("io.vertx.core.datagram.impl.DatagramSocketImpl").getDeclaredField("channel");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Sends an empty datagram from Vert.x's {@code socket} to {@code address:port}; failed off a native transport. */
  static Future<Void> send(DatagramSocket socket, InetAddress address, int port) {
    Object channel;
    try {
      channel = CHANNEL == null ? null : CHANNEL.get(socket);
    } catch (IllegalAccessException e) {
      channel = null;
    }
    if (!(channel instanceof Channel netty)) {
      return Future.failedFuture("an empty datagram can only be sent on a native transport (epoll or io_uring)");
    }
    Promise<Void> sent = Promise.promise();
    netty.eventLoop().execute(() -> {
      if (sendNow(netty, address, port)) {
        sent.complete();
      } else {
        sent.fail("an empty datagram could not be sent to " + address + ":" + port);
      }
    });
    return sent.future();
  }

  /**
   * Sends an empty datagram from {@code channel} to {@code address:port} now; call on the channel's event loop.
   *
   * @return whether the kernel took it (false off a native transport, or when {@code sendto} fails)
   */
  static boolean sendNow(Channel channel, InetAddress address, int port) {
    if (!(channel instanceof UnixChannel unix) || !(unix.fd() instanceof Socket fd)) {
      return false;
    }
    try {
      fd.sendTo(EMPTY, 0, 0, address, port);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
