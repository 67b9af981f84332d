package dev.vxnet.net;

import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Closes a connection now, dropping what is still queued for it. {@link NetSocket#close()} in Vert.x 5
 * first flushes the write queue, so for a peer that stops reading it never completes: the connection, its
 * queue and its handlers would stay forever. Closing the channel from Vert.x's own handler context skips
 * that flush (as Vert.x's idle timeout does).
 */
public final class Abort {

  private Abort() {
  }

  public static void close(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      internal.channelHandlerContext().close();
    } else {
      socket.close();
    }
  }
}
