package dev.vxnet.dns.upstream;

import dev.vxnet.bus.Counters;

import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream as one verticle instance sees it: its client, whether it is down, its smoothed latency, and its
 * counters in the service's stats ({@code upstreams.<upstream>.*}). Marked down after {@code downAfter} questions in a
 * row without an answer, or at once when nothing listens there; up again when a background probe or a question gets
 * an answer. Used from one event loop only.
 */
final class UpstreamState {

  /** Weight of the newest sample in the smoothed latency (exponentially weighted moving average). */
  private static final double SMOOTHING = 0.3;

  private final Upstream upstream;
  private final UpstreamClient client;
  private final int downAfter;
  private final LongAdder queries;
  private final LongAdder responses;
  private final LongAdder rcodeErrors;
  private final LongAdder failures;
  private final LongAdder latencyMicros;
  private final LongAdder markedDown;
  private final LongAdder probes;
  private int failuresInARow;
  private boolean down;
  private double smoothedMicros;
  private boolean measured;

  UpstreamState(Upstream upstream, UpstreamClient client, int downAfter, Counters counters) {
    this.upstream = upstream;
    this.client = client;
    this.downAfter = downAfter;
    String member = upstream.toString();
    queries = counters.counter(Forwarder.GROUP, member, "queries");
    responses = counters.counter(Forwarder.GROUP, member, "responses");
    rcodeErrors = counters.counter(Forwarder.GROUP, member, "rcode_errors");
    failures = counters.counter(Forwarder.GROUP, member, "failures");
    latencyMicros = counters.counter(Forwarder.GROUP, member, "latency_us_total");
    markedDown = counters.counter(Forwarder.GROUP, member, "marked_down");
    probes = counters.counter(Forwarder.GROUP, member, "probes");
    counters.gauge(Forwarder.GROUP, member, "down", () -> down ? 1 : 0);
    counters.gauge(Forwarder.GROUP, member, "latency_us", () -> measured ? Math.round(smoothedMicros) : 0);
  }

  Upstream upstream() {
    return upstream;
  }

  UpstreamClient client() {
    return client;
  }

  boolean down() {
    return down;
  }

  /** The smoothed latency of its answers, µs; 0 until one was measured. */
  double latencyMicros() {
    return measured ? smoothedMicros : 0;
  }

  void asked() {
    queries.increment();
  }

  void probed() {
    probes.increment();
  }

  /**
   * It answered after {@code micros}: whatever the response code, it is there. {@code useful}: NOERROR or NXDOMAIN
   * (otherwise the question moves on, and the response counts among its {@code rcode_errors}).
   */
  void answered(long micros, boolean useful) {
    responses.increment();
    if (!useful) {
      rcodeErrors.increment();
    }
    latencyMicros.add(micros);
    alive(micros);
  }

  /** A background probe got an answer after {@code micros}: it is back. */
  void probeAnswered(long micros) {
    alive(micros);
  }

  private void alive(long micros) {
    smoothedMicros = measured ? SMOOTHING * micros + (1 - SMOOTHING) * smoothedMicros : micros;
    measured = true;
    failuresInARow = 0;
    down = false;
  }

  /** It gave no answer (timeout, network or TLS error, malformed answer); {@code unreachable}: nothing listens there. */
  void failed(boolean unreachable) {
    failures.increment();
    failuresInARow++;
    if (!down && (unreachable || failuresInARow >= downAfter)) {
      down = true;
      markedDown.increment();
    }
  }
}
