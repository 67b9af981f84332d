package dev.vxnet.net;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address, shared by the instances of one service on a node, so that a UDP service cannot
 * be used to reflect a flood at a spoofed victim. A token is whatever the service counts: a datagram (the UDP echo,
 * the DNS listener's queries) or a byte (the DNS listener's answers). Tracks at most {@code maxSources}, forgetting
 * the least recently seen first; a forgotten source starts again with a full bucket.
 */
public final class SourceRateLimiter implements Shareable {

  private static final double NANOS_PER_SECOND = 1e9;

  private final long ratePerSecond;
  private final long burst;
  private final Map<InetAddress, Bucket> buckets;

  SourceRateLimiter(long ratePerSecond, long burst, int maxSources) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
        return size() > maxSources;
      }
    };
  }

  /**
   * The one limiter called {@code name} in this Vert.x instance (e.g. {@code udp}, {@code dns.queries}); the first
   * caller's limits apply.
   *
   * @param ratePerSecond tokens added per second per source; 0 = no limit
   * @param burst         bucket size: tokens a source may spend at once
   * @param maxSources    sources tracked at once
   */
  public static SourceRateLimiter shared(Vertx vertx, String name, long ratePerSecond, long burst, int maxSources) {
    return vertx.sharedData().<String, SourceRateLimiter>getLocalMap("vxnet.source-rate-limiters")
      .computeIfAbsent(name, k -> new SourceRateLimiter(ratePerSecond, burst, maxSources));
  }

  /** Takes one token for {@code source} at time {@code nowNanos}; false when the source is over its rate. */
  public boolean tryAcquire(InetAddress source, long nowNanos) {
    return tryAcquire(source, 1, nowNanos);
  }

  /** Takes {@code tokens} for {@code source} at time {@code nowNanos}; false (taking none) when it has fewer. */
  public synchronized boolean tryAcquire(InetAddress source, long tokens, long nowNanos) {
    if (ratePerSecond == 0) {
      return true;
    }
    Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos));
    bucket.tokens = refilled(bucket.tokens, nowNanos - bucket.updatedNanos, ratePerSecond, burst);
    bucket.updatedNanos = nowNanos;
    if (bucket.tokens < tokens) {
      return false;
    }
    bucket.tokens -= tokens;
    return true;
  }

  synchronized int trackedSources() {
    return buckets.size();
  }

  private static final class Bucket {
    double tokens;
    long updatedNanos;

    Bucket(double tokens, long updatedNanos) {
      this.tokens = tokens;
      this.updatedNanos = updatedNanos;
    }
  }

  /**
   * {@code tokens} after {@code elapsedNanos} at {@code ratePerSecond}, at most {@code burst}. In floating point: the
   * product of an idle time and a rate overflows a {@code long} (after about 9 s idle at 1e9/s, 10.7 days at 1e4/s),
   * and a negative result would starve the source for good. A negative elapsed time (a clock that went back) adds
   * nothing.
   */
  static double refilled(double tokens, long elapsedNanos, long ratePerSecond, long burst) {
    double refill = Math.max(0, elapsedNanos) / NANOS_PER_SECOND * ratePerSecond;
    return Math.min(burst, tokens + refill);
  }
}
