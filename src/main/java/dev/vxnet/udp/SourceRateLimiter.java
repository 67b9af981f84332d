package dev.vxnet.udp;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address, shared by the node's UDP instances, so that the echo cannot be used
 * to reflect a flood at a spoofed victim. Tracks at most {@code maxSources}, forgetting the least recently
 * seen first; a forgotten source starts again with a full bucket.
 */
public final class SourceRateLimiter implements Shareable {

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

  public static SourceRateLimiter shared(Vertx vertx, long ratePerSecond, long burst, int maxSources) {
    return vertx.sharedData().<String, SourceRateLimiter>getLocalMap("vxnet.udp")
      .computeIfAbsent("rate-limiter", k -> new SourceRateLimiter(ratePerSecond, burst, maxSources));
  }

  /** Takes one token for {@code source} at time {@code nowNanos}; false when the source is over its rate. */
  public synchronized boolean tryAcquire(InetAddress source, long nowNanos) {
    if (ratePerSecond == 0) {
      return true;
    }
    Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, nowNanos));
    double refill = (double) (nowNanos - bucket.updatedNanos) * ratePerSecond / 1e9; // in double: a long overflows
    bucket.tokens = Math.min(burst, bucket.tokens + refill);
    bucket.updatedNanos = nowNanos;
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
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
}
