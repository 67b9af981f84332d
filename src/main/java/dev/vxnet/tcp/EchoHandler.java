package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.ConnectionLimit;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.LongAdder;

/**
 * Echoes one connection. Reading pauses while the socket's write queue is full and resumes on drain, so
 * a client that writes and never reads is held back by TCP flow control instead of filling the heap. When the node
 * stops (the socket's shutdown handler), the echo goes on for what the client already sent: the connection is closed
 * once it has been quiet for {@link #DRAIN_QUIET_MS} while reading, with everything echoed and flushed (or by the
 * server at {@code node.shutdown_timeout_ms}).
 */
final class EchoHandler implements Handler<NetSocket> {

  /** During a drain, a connection with nothing received for this long has nothing left in flight, ms. */
  static final long DRAIN_QUIET_MS = 200;

  private final Vertx vertx;
  private final ConnectionLimit limit;
  private final int writeQueueMaxBytes;
  private final LongAdder open;
  private final LongAdder total;
  private final LongAdder refused;
  private final LongAdder bytesIn;
  private final LongAdder bytesOut;

  EchoHandler(Vertx vertx, ConnectionLimit limit, Counters counters, int writeQueueMaxBytes) {
    this.vertx = vertx;
    this.limit = limit;
    this.writeQueueMaxBytes = writeQueueMaxBytes;
    this.open = counters.counter("open");
    this.total = counters.counter("total");
    this.refused = counters.counter("refused");
    this.bytesIn = counters.counter("bytes_in");
    this.bytesOut = counters.counter("bytes_out");
  }

  @Override
  public void handle(NetSocket socket) {
    if (!limit.tryAcquire()) {
      refused.increment();
      socket.close();
      return;
    }
    open.increment();
    total.increment();
    socket.setWriteQueueMaxSize(writeQueueMaxBytes);
    socket.closeHandler(v -> {
      open.decrement();
      limit.release();
    });
    socket.exceptionHandler(failure -> socket.close());
    Drain drain = new Drain(socket);
    socket.shutdownHandler(v -> drain.start());
    socket.handler(data -> {
      int length = data.length();
      bytesIn.add(length);
      socket.write(data).onSuccess(v -> bytesOut.add(length));
      if (socket.writeQueueFull()) {
        socket.pause();
        drain.paused();
        socket.drainHandler(v -> {
          socket.resume();
          drain.received();
        });
      } else {
        drain.received();
      }
    });
  }

  /** The close of one connection during the node's drain, once it is quiet (event-loop confined). */
  private final class Drain {
    private final NetSocket socket;
    private boolean draining;
    private long timer = -1;

    Drain(NetSocket socket) {
      this.socket = socket;
    }

    void start() {
      draining = true;
      received();
    }

    /** Data came in (or reading resumed): the quiet period starts again. */
    void received() {
      if (draining) {
        vertx.cancelTimer(timer);
        timer = vertx.setTimer(DRAIN_QUIET_MS, id -> socket.end()); // end: flush what is queued, then close
      }
    }

    /** Reading paused for backpressure: not quiet, the client has yet to read its echo. */
    void paused() {
      vertx.cancelTimer(timer);
    }
  }
}
