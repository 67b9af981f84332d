package dev.vxnet.dns;

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
 * Used from one event loop only.
 */
final class Resolver {

  /** An answer and whether it came from the cache. */
  record Resolution(Answer answer, boolean cached) {
  }

  /** The cache counters of the service's statistics. */
  record CacheCounters(LongAdder hits, LongAdder misses, LongAdder evictions) {
  }

  private final Forwarder forwarder;
  private final DnsCache cache;
  private final TtlPolicy policy;
  private final LongSupplier nanos;
  private final CacheCounters counters;
  private final Map<DnsCache.Key, Future<Resolution>> inFlight = new HashMap<>();

  Resolver(Forwarder forwarder, DnsCache cache, TtlPolicy policy, LongSupplier nanos, CacheCounters counters) {
    this.forwarder = forwarder;
    this.cache = cache;
    this.policy = policy;
    this.nanos = nanos;
    this.counters = counters;
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
