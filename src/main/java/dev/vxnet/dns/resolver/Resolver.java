package dev.vxnet.dns.resolver;

import io.vertx.core.Future;
import org.xbill.DNS.Name;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Answers a question from the cache, or forwards it upstream and caches what comes back under the TTL policy.
 * Questions already on their way upstream from this instance are not asked twice: later askers share the answer.
 * At most {@code maxInFlight} questions are upstream at once (each holds a socket until answered or timed out), so
 * that a flood of new names cannot exhaust the process's file descriptors; beyond that a question fails at once
 * with {@link Busy}. Used from one event loop only.
 */
final class Resolver {

  /** An answer and whether it came from the cache. */
  record Resolution(Answer answer, boolean cached) {
  }

  /** Too many questions are upstream already; the message says how many are allowed. */
  static final class Busy extends RuntimeException {
    Busy(String message) {
      super(message, null, false, false);
    }
  }

  /** The cache counters of the service's statistics. */
  record CacheCounters(LongAdder hits, LongAdder misses, LongAdder evictions) {
  }

  private final Forwarder forwarder;
  private final DnsCache cache;
  private final TtlPolicy policy;
  private final LongSupplier nanos;
  private final CacheCounters counters;
  private final int maxInFlight;
  private final Map<DnsCache.Key, Future<Resolution>> inFlight = new HashMap<>();

  Resolver(Forwarder forwarder, DnsCache cache, TtlPolicy policy, LongSupplier nanos, CacheCounters counters, int maxInFlight) {
    this.forwarder = forwarder;
    this.cache = cache;
    this.policy = policy;
    this.nanos = nanos;
    this.counters = counters;
    this.maxInFlight = maxInFlight;
  }

  Future<Resolution> resolve(Name name, int type) {
    DnsCache.Key key = new DnsCache.Key(name, type);
    Optional<Answer> cached = cache.get(key, nanos.getAsLong());
    if (cached.isPresent()) {
      counters.hits().increment();
      return Future.succeededFuture(new Resolution(cached.get(), true));
    }
    counters.misses().increment();
    Future<Resolution> pending = inFlight.get(key);
    if (pending != null) {
      return pending;
    }
    if (inFlight.size() >= maxInFlight) {
      return Future.failedFuture(new Busy(maxInFlight + " questions are already waiting for upstreams on this instance "
        + "(dns.max_in_flight); try again shortly"));
    }
    Future<Resolution> resolution = forwarder.forward(name, type).map(answer -> {
      TtlPolicy.Cacheable served = policy.apply(answer);
      counters.evictions().add(cache.put(key, served.answer(), served.lifetimeSeconds(), nanos.getAsLong()));
      return new Resolution(served.answer(), false);
    });
    inFlight.put(key, resolution);
    resolution.onComplete(done -> inFlight.remove(key));
    return resolution;
  }
}
