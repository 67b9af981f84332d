package dev.vxnet.udp;

import dev.vxnet.bus.Counters;

import java.util.concurrent.atomic.LongAdder;

/**
 * The UDP echo's counters of one verticle instance ({@code /api/stats}): {@code datagrams_in}, {@code datagrams_out},
 * {@code send_errors}, and one per dropping {@link EchoPolicy.Verdict}.
 */
final class EchoCounters {

  final Counters counters = new Counters("udp");
  final LongAdder received = counters.counter("datagrams_in");
  final LongAdder sent = counters.counter("datagrams_out");
  final LongAdder sendErrors = counters.counter("send_errors");
  private final LongAdder[] dropped = new LongAdder[EchoPolicy.Verdict.values().length];

  EchoCounters() {
    for (EchoPolicy.Verdict verdict : EchoPolicy.Verdict.values()) {
      if (verdict.counter != null) {
        dropped[verdict.ordinal()] = counters.counter(verdict.counter);
      }
    }
  }

  /** Counts a received datagram and its verdict; true when it is to be answered. */
  boolean admit(EchoPolicy.Verdict verdict) {
    received.increment();
    if (verdict == EchoPolicy.Verdict.ANSWER) {
      return true;
    }
    dropped[verdict.ordinal()].increment();
    return false;
  }
}
