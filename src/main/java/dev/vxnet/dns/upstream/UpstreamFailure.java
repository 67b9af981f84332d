package dev.vxnet.dns.upstream;

/**
 * One upstream did not give a usable answer; the message says how, for the error that lists every upstream tried.
 * {@link #unreachable()}: nothing listens there (ICMP port unreachable, connection refused), known at once, so the
 * upstream is marked down without waiting for more failures.
 */
public final class UpstreamFailure extends RuntimeException {

  private final boolean unreachable;

  UpstreamFailure(String message) {
    this(message, false);
  }

  UpstreamFailure(String message, boolean unreachable) {
    super(message, null, false, false);
    this.unreachable = unreachable;
  }

  public boolean unreachable() {
    return unreachable;
  }
}
