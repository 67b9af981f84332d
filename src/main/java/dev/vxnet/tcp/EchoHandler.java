package dev.vxnet.tcp;

import dev.vxnet.bus.Counters;
import dev.vxnet.net.ConnectionLimit;
import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.LongAdder;

/**
 * Echoes one connection. Reading pauses while the socket's write queue is full and resumes on drain, so
 * a client that writes and never reads is held back by TCP flow control instead of filling the heap.
 */
final class EchoHandler implements Handler<NetSocket> {

  private final ConnectionLimit limit;
  private final int writeQueueMaxBytes;
  private final LongAdder open;
  private final LongAdder total;
  private final LongAdder refused;
  private final LongAdder bytesIn;
  private final LongAdder bytesOut;

  EchoHandler(ConnectionLimit limit, Counters counters, int writeQueueMaxBytes) {
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
    socket.handler(data -> {
      int length = data.length();
      bytesIn.add(length);
      socket.write(data).onSuccess(v -> bytesOut.add(length));
      if (socket.writeQueueFull()) {
        socket.pause();
        socket.drainHandler(v -> socket.resume());
      }
    });
  }
}
