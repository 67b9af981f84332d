package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.netty.channel.ChannelPromise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;

import java.util.List;

/**
 * TCP echo load (RFC 862). Each connection writes messages of --size bytes, at most --window of them unanswered
 * (ping-pong is window 1; bulk streams chunks with a deep window), and reads the echo back. The bytes are the
 * {@link Payload} stream from an offset of the connection's own, so every echoed byte is compared with the byte sent at
 * that position: a message with any wrong byte fails as CORRUPT, more bytes than were sent fail as UNEXPECTED, and a
 * message not echoed whole within --timeout fails the connection (a byte stream cannot skip it).
 */
final class TcpEcho extends Load {

  private final String address;

  TcpEcho(Settings settings, String address) {
    super(settings);
    this.address = address;
  }

  @Override
  List<Session> sessions(Worker worker, int first, int count) {
    NetClient client = netClient(worker);
    return numbered(first, count, index -> new Connection(worker, client, index));
  }

  @Override
  String unit() {
    return settings.tcpMode() == Settings.TcpMode.BULK ? "chunks" : "messages";
  }

  @Override
  void report(JsonObject result, Totals totals) {
    result.put("bytes", totals.bytes).put("bytes_per_s", totals.bytesPerSecond()).put("verified", true);
  }

  private final class Connection extends Session {

    private final NetClient client;
    private final int size = settings.size();
    /** Where in the payload stream this connection starts, so that connections send different bytes. */
    private final long origin;
    private final long[] intended;
    private final long[] sentAt;
    /** Ring index of the oldest message in flight. */
    private int oldest;
    private long sentBytes;
    private long receivedBytes;
    private boolean oldestCorrupt;
    private NetSocketInternal socket;
    private VertxConnection connection;
    private ChannelPromise noPromise;

    Connection(Worker worker, NetClient client, int index) {
      super(worker, settings.window());
      this.client = client;
      this.origin = index * 7_919L;
      this.intended = new long[settings.window()];
      this.sentAt = new long[settings.window()];
    }

    @Override
    Future<?> open() {
      return client.connect(settings.port(), address).onSuccess(connected -> {
        // The raw ByteBufs of each read, and writes straight to the channel from its event loop (where sessions run),
        // flushed once per read burst as Vert.x does: no copy, no queue, no promise per message (2x fewer CPU cycles).
        socket = (NetSocketInternal) connected;
        connection = (VertxConnection) connected;
        noPromise = socket.channelHandlerContext().voidPromise();
        socket.messageHandler(message -> {
          ByteBuf bytes = (ByteBuf) message;
          try {
            received(bytes);
          } finally {
            bytes.release();
          }
        });
        failsWith(connected);
      });
    }

    @Override
    protected void send(long intendedAt, long now) {
      int slot = (oldest + outstanding - 1) % intended.length;
      intended[slot] = intendedAt;
      sentAt[slot] = now;
      for (int left = size; left > 0; ) {
        int length = Math.min(left, Payload.PERIOD);
        connection.write(Payload.slice(origin + sentBytes, length), false, noPromise);
        sentBytes += length;
        left -= length;
      }
    }

    private void received(ByteBuf bytes) {
      int index = bytes.readerIndex();
      int end = bytes.writerIndex();
      while (index < end) {
        if (receivedBytes == sentBytes) {
          lost(ErrorKind.UNEXPECTED, "the server sent " + (end - index) + " bytes more than it was sent");
          socket.close();
          return;
        }
        long messageEnd = (receivedBytes / size + 1) * size;
        int length = (int) Math.min(Math.min(end - index, messageEnd - receivedBytes), Payload.PERIOD);
        if (!oldestCorrupt && !Payload.matches(bytes, index, origin + receivedBytes, length)) {
          oldestCorrupt = true;
        }
        index += length;
        receivedBytes += length;
        if (receivedBytes == messageEnd) {
          int slot = oldest;
          oldest = (oldest + 1) % intended.length;
          if (oldestCorrupt) {
            oldestCorrupt = false;
            failed(ErrorKind.CORRUPT, "echoed bytes differ from those sent (message ending at stream byte " + messageEnd + ")");
          } else {
            succeeded(intended[slot], sentAt[slot], size);
          }
        }
      }
    }

    @Override
    void expire(long deadline) {
      if (outstanding > 0 && sentAt[oldest] - deadline < 0) {
        lost(ErrorKind.TIMEOUT, "no complete echo within " + settings.timeoutMs() + " ms");
        socket.close();
      }
    }

    @Override
    Future<?> close() {
      return markClosed() && socket != null ? socket.close() : Future.succeededFuture();
    }
  }
}
