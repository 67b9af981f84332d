package dev.vxnet.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceRateLimiterTest {

  private static final InetAddress A = ip("10.0.1.1");
  private static final InetAddress B = ip("10.0.1.2");
  private static final InetAddress C = ip("10.0.1.3");

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstThenTheRate() {
    SourceRateLimiter limiter = new SourceRateLimiter(10, 3, 100);
    long now = 5 * SECOND;
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now));
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now));
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now));
    assertFalse(limiter.tryAcquire(ip("10.0.0.1"), now), "burst of 3 used up");
    assertTrue(limiter.tryAcquire(ip("10.0.0.2"), now), "another source has its own bucket");
    assertFalse(limiter.tryAcquire(ip("10.0.0.1"), now + SECOND / 20), "half a token after 50 ms at 10/s");
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now + SECOND / 10), "one token after 100 ms");
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now + 10 * SECOND));
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now + 10 * SECOND));
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), now + 10 * SECOND));
    assertFalse(limiter.tryAcquire(ip("10.0.0.1"), now + 10 * SECOND), "a long pause refills only up to the burst");
  }

  @Test
  void zeroRateMeansNoLimit() {
    SourceRateLimiter limiter = new SourceRateLimiter(0, 1, 1);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(limiter.tryAcquire(ip("10.0.0.1"), 0));
    }
  }

  @Test
  void leastRecentlySeenSourcesAreForgottenFirst() {
    SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 2);
    assertTrue(limiter.tryAcquire(A, 0));
    assertTrue(limiter.tryAcquire(B, 0));
    assertFalse(limiter.tryAcquire(A, 0));
    assertTrue(limiter.tryAcquire(C, 0), "C evicts B, the least recently seen");
    assertEquals(2, limiter.trackedSources());
    assertFalse(limiter.tryAcquire(A, 0), "A is still tracked and still empty");
    assertTrue(limiter.tryAcquire(B, 0), "B was forgotten and starts with a full bucket");
  }

  /** The idle time times the rate overflowed a long: the source then got no answer at all, ever. */
  @Test
  void aLongIdleSourceIsAnsweredAgainAtAnyRate() {
    SourceRateLimiter fast = new SourceRateLimiter(1_000_000_000L, 2, 10);
    assertTrue(fast.tryAcquire(A, 0));
    assertTrue(fast.tryAcquire(A, 10 * SECOND), "10 s idle at 1e9/s (the product passes 2^63 at ~9.2 s)");
    SourceRateLimiter defaults = new SourceRateLimiter(10_000, 20_000, 10);
    assertTrue(defaults.tryAcquire(A, 0));
    assertTrue(defaults.tryAcquire(A, 11L * 86_400 * SECOND), "11 days idle at the default 10,000/s");
    assertEquals(2.0, SourceRateLimiter.refilled(0, Long.MAX_VALUE, Integer.MAX_VALUE, 2), "saturates at the burst");
    assertEquals(1.0, SourceRateLimiter.refilled(1, -SECOND, 10, 2), "a clock going back adds nothing");
  }

  @Test
  void aBudgetOfBytesTakesSeveralTokensAtOnce() {
    SourceRateLimiter bytes = new SourceRateLimiter(1_000, 1_500, 10);
    assertTrue(bytes.tryAcquire(ip("10.0.0.1"), 1_200, 0));
    assertFalse(bytes.tryAcquire(ip("10.0.0.1"), 400, 0), "300 left: a 400-byte answer does not fit, and takes nothing");
    assertTrue(bytes.tryAcquire(ip("10.0.0.1"), 300, 0));
    assertTrue(bytes.tryAcquire(ip("10.0.0.1"), 500, SECOND / 2), "500 more after half a second at 1000/s");
  }

  @Test
  void aLongIdleSourceAtAHighRateGetsAFullBucketNotAnOverflow() {
    SourceRateLimiter limiter = new SourceRateLimiter(2_000_000_000L, 10, 10);
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), 10, 0));
    assertTrue(limiter.tryAcquire(ip("10.0.0.1"), 10, 3_600 * SECOND), "an hour at 2e9/s is 7.2e21 tokens: capped at the burst");
    assertFalse(limiter.tryAcquire(ip("10.0.0.1"), 1, 3_600 * SECOND));
  }
}
