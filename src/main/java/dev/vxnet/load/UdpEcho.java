package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * UDP echo load. Each socket keeps up to --window datagrams of --size bytes unanswered; a datagram carries a 4-byte
 * sequence number, the 4-byte number of its window slot, then {@link Payload} bytes. A reply frees its slot and is
 * checked: the right sender, size and bytes (else CORRUPT), a sequence number below one already answered counts as
 * reordered, a reply that matches no datagram in flight (a duplicate, or one after its datagram was declared lost)
 * counts as stray. A datagram unanswered after --timeout is LOST and its slot is reused. Sockets are connected to the
 * server ({@link ConnectedUdp}), so datagrams from anyone else never arrive.
 */
final class UdpEcho extends Load {

  static final String REORDERED = "reordered";
  static final String STRAY = "stray";

  private final String address;

  UdpEcho(Settings settings, String address) {
    super(settings);
    this.address = address;
  }

  @Override
  List<Session> sessions(Worker worker, int first, int count) {
    return numbered(first, count, index -> new Socket(worker));
  }

  @Override
  String unit() {
    return "datagrams";
  }

  @Override
  void report(JsonObject result, Totals totals) {
    long sent = totals.sent;
    long lost = totals.errorKind(ErrorKind.LOST);
    result.put("sent", sent).put("lost", lost).put("loss_pct", sent == 0 ? 0.0 : Math.round(1e5 * lost / sent) / 1e3)
      .put("reordered", totals.tally(REORDERED)).put("stray", totals.tally(STRAY))
      .put("port_unreachable", totals.tally("port unreachable"))
      .put("bytes", totals.bytes).put("bytes_per_s", totals.bytesPerSecond());
  }

  private final class Socket extends Session {

    private final int size = settings.size();
    private final InFlight inFlight = new InFlight(settings.window());
    private int nextSequence;
    private int highestAnswered = -1;
    private boolean answered;
    private ConnectedUdp socket;

    Socket(Worker worker) {
      super(worker, settings.window());
    }

    @Override
    Future<?> open() {
      return ConnectedUdp.open(worker, address, settings.port(), size, this::received).onSuccess(open -> socket = open);
    }

    @Override
    protected void send(long intendedAt, long now) {
      int slot = inFlight.next();
      int seq = nextSequence++;
      inFlight.take(slot, seq, intendedAt, now);
      ByteBuf datagram = socket.buffer(size);
      datagram.writeInt(seq).writeInt(slot);
      Payload.copy(Settings.UDP_HEADER_BYTES, datagram, size - Settings.UDP_HEADER_BYTES);
      worker.sent();
      socket.send(datagram);
    }

    private void received(ByteBuf data) {
      if (data.readableBytes() < Settings.UDP_HEADER_BYTES) {
        worker.tally(STRAY);
        return;
      }
      int index = data.readerIndex();
      int seq = data.getInt(index);
      int slot = data.getInt(index + 4);
      if (!inFlight.awaits(slot, seq)) {
        worker.tally(STRAY);
        return;
      }
      inFlight.release(slot);
      if (answered && seq - highestAnswered < 0) {
        worker.tally(REORDERED);
      } else {
        highestAnswered = seq;
        answered = true;
      }
      if (data.readableBytes() != size || !Payload.matches(data, index + Settings.UDP_HEADER_BYTES,
        Settings.UDP_HEADER_BYTES, size - Settings.UDP_HEADER_BYTES)) {
        failed(ErrorKind.CORRUPT, "a reply of " + data.readableBytes() + " bytes differs from its datagram of " + size);
      } else {
        succeeded(inFlight.intended(slot), inFlight.sentAt(slot), size);
      }
    }

    @Override
    void expire(long deadline) {
      for (int slot = inFlight.expired(deadline); slot >= 0; slot = inFlight.expired(deadline)) {
        inFlight.release(slot);
        failed(ErrorKind.LOST, "no reply within " + settings.timeoutMs() + " ms");
      }
    }

    @Override
    Future<?> close() {
      return markClosed() && socket != null ? socket.close() : Future.succeededFuture();
    }
  }
}
