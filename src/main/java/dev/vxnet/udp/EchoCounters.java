package dev.vxnet.udp;

import dev.vxnet.bus.Counters;

import java.util.concurrent.atomic.LongAdder;

/**
 * The UDP echo's counters of one verticle instance ({@code /api/stats}): {@code datagrams_in}, {@code datagrams_out},
 * {@code send_errors}, {@code bytes_in} and {@code bytes_out} (payload bytes; the epoll path passes Vert.x's datagram
 * metrics by), and one per dropping {@link EchoPolicy.Verdict}.
 */
final class EchoCounters {

  final Counters counters = new Counters("udp");
  final LongAdder received = counters.counter("datagrams_in");
  final LongAdder sent = counters.counter("datagrams_out");
  final LongAdder sendErrors = counters.counter("send_errors");
  private final LongAdder bytesIn = counters.counter("bytes_in");
  private final LongAdder bytesOut = counters.counter("bytes_out");
  private final LongAdder[] dropped = new LongAdder[EchoPolicy.Verdict.values().length];

  EchoCounters() {
    for (EchoPolicy.Verdict verdict : EchoPolicy.Verdict.values()) {
      if (verdict.counter != null) {
        dropped[verdict.ordinal()] = counters.counter(verdict.counter);
      }
    }
  }

  /**
   * Counts a received datagram of {@code bytes} payload bytes and its verdict; true when it is to be answered (its
   * bytes then count as sent: an answer that fails counts in {@code send_errors}).
   */
  boolean admit(EchoPolicy.Verdict verdict, int bytes) {
    received.increment();
    bytesIn.add(bytes);
    if (verdict == EchoPolicy.Verdict.ANSWER) {
      bytesOut.add(bytes);
      return true;
    }
    dropped[verdict.ordinal()].increment();
    return false;
  }
}
