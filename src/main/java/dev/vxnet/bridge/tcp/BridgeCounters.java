package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.Counters;

import java.util.concurrent.atomic.LongAdder;

/** The TCP bridge's counters, reported as service {@code bridge} in vxnet.stats. */
final class BridgeCounters {

  final Counters all = new Counters("bridge");
  final LongAdder open = all.counter("open");
  final LongAdder connections = all.counter("connections");
  final LongAdder refused = all.counter("refused");
  final LongAdder framesIn = all.counter("frames_in");
  final LongAdder framesOut = all.counter("frames_out");
  final LongAdder badFrames = all.counter("bad_frames");
  final LongAdder oversizeFrames = all.counter("oversize_frames");
  final LongAdder denied = all.counter("denied");
  final LongAdder requests = all.counter("requests");
  final LongAdder requestErrors = all.counter("request_errors");
  final LongAdder published = all.counter("published");
  final LongAdder delivered = all.counter("delivered");
  final LongAdder slowDisconnects = all.counter("slow_disconnects");
}
