package dev.vxnet.udp;

import dev.vxnet.net.ReflectionGuard;
import dev.vxnet.net.SourceRateLimiter;

import java.net.InetAddress;

/**
 * Whether the echo answers one datagram: the checks every receive path of the UDP echo shares (Vert.x's datagram
 * socket and {@link NativeEcho}), so that both drop the same datagrams for the same reasons. A function of the
 * datagram's length, its source and the time, plus the node's per-source token buckets; it counts nothing and sends
 * nothing, so each path does its own I/O and counting ({@link EchoCounters}).
 */
final class EchoPolicy {

  /** What to do with a datagram; each verdict but {@link #ANSWER} names the counter of the datagrams it drops. */
  enum Verdict {
    ANSWER(null),
    /** longer than {@code udp.max_datagram_bytes} */
    OVERSIZE("oversize"),
    /** its source port is a service's, not a client's ({@link ReflectionGuard}): answering would reflect */
    REFUSED_SOURCE("refused_sources"),
    /** its source is over {@code udp.rate_limit_per_second} */
    RATE_LIMITED("rate_limited");

    final String counter;

    Verdict(String counter) {
      this.counter = counter;
    }
  }

  private final int maxDatagramBytes;
  private final SourceRateLimiter limiter;
  private final ReflectionGuard guard;

  /** One per verticle instance ({@link ReflectionGuard} is not thread-safe). */
  EchoPolicy(int maxDatagramBytes, SourceRateLimiter limiter, ReflectionGuard guard) {
    this.maxDatagramBytes = maxDatagramBytes;
    this.limiter = limiter;
    this.guard = guard;
  }

  /**
   * The verdict on a datagram of {@code length} bytes from {@code source}:{@code sourcePort} received at
   * {@code nowNanos} ({@link System#nanoTime()}); an answered one takes a token of its source.
   */
  Verdict decide(int length, InetAddress source, int sourcePort, long nowNanos) {
    if (length > maxDatagramBytes) {
      return Verdict.OVERSIZE;
    }
    if (guard.refusal(sourcePort).isPresent()) {
      return Verdict.REFUSED_SOURCE;
    }
    if (!limiter.tryAcquire(source, nowNanos)) {
      return Verdict.RATE_LIMITED;
    }
    return Verdict.ANSWER;
  }

  /** The largest datagram answered, bytes: a receive path reads one byte more, so that a longer one shows as such. */
  int maxDatagramBytes() {
    return maxDatagramBytes;
  }
}
