package dev.vxnet.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Chat load: --connections clients of a line chat (vxnet's, or any server that relays a line to the other clients of
 * a room, whatever prefix it adds), optionally after {@code /join ROOM}. Once every client hears client 0, each client
 * sends lines {@code vxl RUN SENDER SEQ SLOT DUE PADDING} (hexadecimal fields, padding up to --size bytes with the
 * newline; RUN tells this run's lines from another's in the same room, which are counted as foreign and ignored),
 * at most --window of them waiting for their deliveries. Every other client that receives a line records one delivery
 * with its latency from DUE; a line is done when all others got it, and each delivery still missing after --timeout
 * is LOST. Lines arriving twice or out of order from one sender count as reordered; a changed line is CORRUPT.
 */
final class ChatLoad extends Load {

  /** "vxl " + 4 + 8 + 16 + 4 + 16 hexadecimal digits with their spaces, and the newline. */
  static final int MIN_LINE_BYTES = 4 + 5 + 9 + 17 + 5 + 17 + 1;
  private static final int PADDING_START = MIN_LINE_BYTES - 1;
  static final String MARK = "vxl ";
  static final String SYNC = "vxl-sync";
  static final String REORDERED = "reordered";
  static final String LATE = "late";
  static final String FOREIGN = "foreign";
  private static final long SEQ_MASK = (1L << 40) - 1;
  private static final long REMAINING_MASK = (1L << 24) - 1;

  private final String address;
  private final Client[] clients;
  private final Context[] contexts;
  /** Per sender and window slot: the line's sequence number (high 40 bits) and deliveries still missing (low 24). */
  private final AtomicLongArray waiting;
  private final AtomicInteger synced = new AtomicInteger();
  /** Tells this run's lines from those of another run in the same room. */
  private final int run = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16);

  ChatLoad(Settings settings, String address) {
    super(settings);
    this.address = address;
    this.clients = new Client[settings.connections()];
    this.contexts = new Context[settings.connections()];
    this.waiting = new AtomicLongArray(settings.connections() * settings.window());
  }

  @Override
  List<Session> sessions(Worker worker, int first, int count) {
    NetClient client = netClient(worker);
    return numbered(first, count, index -> {
      clients[index] = new Client(worker, client, index);
      contexts[index] = worker.eventLoop();
      return clients[index];
    });
  }

  /** Client 0 says a sync line every 100 ms until every other client heard one: then all are in the room. */
  @Override
  Future<Void> ready(Vertx vertx) {
    Client first = clients[0];
    if (first.socket == null) {
      return Future.failedFuture("client 0 is not connected, so the room cannot be checked");
    }
    Promise<Void> all = Promise.promise();
    long started = System.nanoTime();
    int others = clients.length - 1;
    long[] timer = new long[1];
    timer[0] = vertx.setPeriodic(0, 100, id -> {
      if (synced.get() >= others) {
        vertx.cancelTimer(timer[0]);
        all.tryComplete();
      } else if ((System.nanoTime() - started) / 1_000_000 > settings.connectTimeoutMs()) {
        vertx.cancelTimer(timer[0]);
        all.tryFail("after " + settings.connectTimeoutMs() + " ms (--connect-timeout) only " + synced.get() + " of "
          + others + " clients heard client 0" + (settings.room() == null ? "" : " in room " + settings.room()));
      } else {
        first.socket.write(SYNC + "\n");
      }
    });
    return all.future();
  }

  @Override
  String unit() {
    return "deliveries";
  }

  @Override
  void report(JsonObject result, Totals totals) {
    long sent = totals.sent;
    result.put("clients", clients.length).put("lines_sent", sent)
      .put("lines_sent_per_s", totals.perSecond(sent))
      .put("deliveries_expected", sent * (clients.length - 1))
      .put("lost", totals.errorKind(ErrorKind.LOST))
      .put("reordered", totals.tally(REORDERED)).put("late", totals.tally(LATE))
      .put("foreign_lines", totals.tally(FOREIGN));
  }

  private final class Client extends Session {

    private final NetClient client;
    private final int index;
    private final int size = settings.size();
    private final InFlight inFlight = new InFlight(settings.window());
    private final long[] lastSeen = new long[clients.length];
    private long nextSequence;
    private boolean heardSync;
    private NetSocket socket;

    Client(Worker worker, NetClient client, int index) {
      super(worker, settings.window());
      this.client = client;
      this.index = index;
      java.util.Arrays.fill(lastSeen, -1);
    }

    @Override
    Future<?> open() {
      return client.connect(settings.port(), address).onSuccess(connected -> {
        socket = connected;
        connected.handler(RecordParser.newDelimited("\n", this::line).maxRecordSize(Math.max(size * 4, 65_536)));
        failsWith(connected);
        if (settings.room() != null) {
          connected.write("/join " + settings.room() + "\n");
        }
      });
    }

    @Override
    protected void send(long intendedAt, long now) {
      int slot = inFlight.next();
      long seq = nextSequence++;
      inFlight.take(slot, (int) seq, intendedAt, now);
      waiting.set(index * settings.window() + slot, (seq & SEQ_MASK) << 24 | (clients.length - 1));
      StringBuilder line = new StringBuilder(size);
      line.append(MARK).append(String.format("%04x %08x %016x %04x %016x ", run, index, seq, slot, intendedAt));
      for (int i = line.length(); i < size - 1; i++) {
        line.append(padding(seq, i));
      }
      worker.sent();
      socket.write(line.append('\n').toString());
    }

    private static char padding(long seq, int position) {
      return (char) ('a' + (int) ((seq + position) % 26));
    }

    /** A line from the server: a sync, another client's load line, or something else (notices), ignored. */
    private void line(Buffer record) {
      String text = record.toString(StandardCharsets.UTF_8);
      int start = text.indexOf(MARK);
      if (start < 0) {
        if (!heardSync && index != 0 && text.contains(SYNC)) {
          heardSync = true;
          synced.incrementAndGet();
        }
        return;
      }
      String line = text.endsWith("\r") ? text.substring(start, text.length() - 1) : text.substring(start);
      int sender;
      long seq;
      int slot;
      long due;
      try {
        if (Integer.parseInt(line.substring(4, 8), 16) != run) {
          worker.tally(FOREIGN);
          return;
        }
        sender = Integer.parseInt(line.substring(9, 17), 16);
        seq = Long.parseUnsignedLong(line.substring(18, 34), 16);
        slot = Integer.parseInt(line.substring(35, 39), 16);
        due = Long.parseUnsignedLong(line.substring(40, 56), 16);
      } catch (RuntimeException e) {
        worker.error(ErrorKind.CORRUPT, "a load line the server changed: " + abbreviate(line));
        return;
      }
      if (sender == index || sender < 0 || sender >= clients.length || slot >= settings.window()) {
        return; // its own line back (some servers do that), or another run's
      }
      if (seq <= lastSeen[sender]) {
        worker.tally(REORDERED);
      } else {
        lastSeen[sender] = seq;
      }
      boolean intact = line.length() == size - 1;
      for (int i = PADDING_START; intact && i < line.length(); i++) {
        intact = line.charAt(i) == padding(seq, i);
      }
      if (!delivered(sender, slot, seq)) {
        worker.tally(LATE);
      } else if (intact) {
        worker.record(due, due, record.length());
      } else {
        worker.error(ErrorKind.CORRUPT, "a load line the server changed: " + abbreviate(line));
      }
    }

    /** Counts one delivery of the sender's line; false when the line is no longer awaited (expired). */
    private boolean delivered(int sender, int slot, long seq) {
      int at = sender * settings.window() + slot;
      long expected = (seq & SEQ_MASK) << 24;
      for (long now = waiting.get(at); (now & ~REMAINING_MASK) == expected && (now & REMAINING_MASK) > 0; now = waiting.get(at)) {
        if (waiting.compareAndSet(at, now, now - 1)) {
          if ((now & REMAINING_MASK) == 1) {
            Client from = clients[sender];
            contexts[sender].runOnContext(done -> from.complete(slot, (int) seq));
          }
          return true;
        }
      }
      return false;
    }

    private void complete(int slot, int tag) {
      if (inFlight.awaits(slot, tag)) {
        inFlight.release(slot);
        over();
      }
    }

    @Override
    void expire(long deadline) {
      for (int slot = inFlight.expired(deadline); slot >= 0; slot = inFlight.expired(deadline)) {
        int at = index * settings.window() + slot;
        long missing = waiting.getAndUpdate(at, now -> now & ~REMAINING_MASK) & REMAINING_MASK;
        for (long i = 0; i < missing; i++) {
          worker.error(ErrorKind.LOST, "a line did not reach a client within " + settings.timeoutMs() + " ms");
        }
        inFlight.release(slot);
        over();
      }
    }

    @Override
    Future<?> close() {
      return markClosed() && socket != null ? socket.close() : Future.succeededFuture();
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 60 ? line : line.substring(0, 60) + "...";
  }
}
