package dev.vxnet.dns.resolver;

import dev.vxnet.dns.upstream.Answer;
import dev.vxnet.dns.upstream.Forwarder;
import io.vertx.core.Future;
import org.xbill.DNS.Name;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The resolver behind every face (event bus, DoH, Do53, DoT): answers a question from the cache, or forwards it
 * upstream and caches what comes back under the TTL policy.
 * <ul>
 *   <li>Questions already on their way upstream from this instance are not asked twice: later askers share the answer.</li>
 *   <li>At most {@code maxInFlight} questions are upstream at once (each holds a socket until answered or timed out), so
 *       that a flood of new names cannot exhaust the process's file descriptors; beyond that a question fails at once
 *       with {@link Busy}.</li>
 *   <li>Serve-stale (RFC 8767): when forwarding fails (or is refused as busy) and the cache still holds the answer
 *       expired less than {@code stale_max_s} ago, that answer is served with every TTL set to {@link #STALE_TTL}
 *       and marked stale (the faces add Extended DNS Error 3, "Stale Answer").</li>
 *   <li>Prefetch: a cache hit with at most {@code prefetchPercent} % of its lifetime left starts one background refresh,
 *       so that a name asked often is replaced before it expires (entries of 9 s or less never qualify: the check is in
 *       whole seconds).</li>
 * </ul>
 * Used from one event loop only.
 */
final class Resolver {

  /** The TTL of a stale answer, seconds (RFC 8767 section 4). */
  static final long STALE_TTL = 30;

  /**
   * An answer, whether it came from the cache, and whether it is stale (served past its TTL because no upstream
   * answered).
   */
  record Resolution(Answer answer, boolean cached, boolean stale) {
  }

  /** Too many questions are upstream already; the message says how many are allowed. */
  static final class Busy extends RuntimeException {
    Busy(String message) {
      super(message, null, false, false);
    }
  }

  /** The counters of the service's statistics that the resolver keeps. */
  record Counters(LongAdder hits, LongAdder misses, LongAdder evictions, LongAdder staleAnswers, LongAdder prefetches) {
  }

  private final Forwarder forwarder;
  private final DnsCache cache;
  private final TtlPolicy policy;
  private final LongSupplier nanos;
  private final Counters counters;
  private final int maxInFlight;
  private final int prefetchPercent;
  private final Map<DnsCache.Key, Future<Resolution>> inFlight = new HashMap<>();

  Resolver(Forwarder forwarder, DnsCache cache, TtlPolicy policy, LongSupplier nanos, Counters counters, int maxInFlight,
           int prefetchPercent) {
    this.forwarder = forwarder;
    this.cache = cache;
    this.policy = policy;
    this.nanos = nanos;
    this.counters = counters;
    this.maxInFlight = maxInFlight;
    this.prefetchPercent = prefetchPercent;
  }

  Future<Resolution> resolve(Name name, int type) {
    DnsCache.Key key = new DnsCache.Key(name, type);
    Optional<DnsCache.Cached> cached = cache.get(key, nanos.getAsLong());
    if (cached.isPresent() && cached.get().fresh()) {
      counters.hits().increment();
      if (cached.get().remainingSeconds() * 100 <= cached.get().lifetimeSeconds() * prefetchPercent && !inFlight.containsKey(key)
        && inFlight.size() < maxInFlight) {
        counters.prefetches().increment();
        forward(key); // the refreshed answer replaces the entry; a failure leaves it as it is
      }
      return Future.succeededFuture(new Resolution(cached.get().answer(), true, false));
    }
    counters.misses().increment();
    Future<Resolution> resolution = forward(key);
    if (cached.isEmpty()) {
      return resolution;
    }
    Answer stale = cached.get().answer();
    return resolution.recover(failure -> {
      counters.staleAnswers().increment();
      return Future.succeededFuture(new Resolution(stale.withEveryTtl(STALE_TTL), true, true));
    });
  }

  private Future<Resolution> forward(DnsCache.Key key) {
    Future<Resolution> pending = inFlight.get(key);
    if (pending != null) {
      return pending;
    }
    if (inFlight.size() >= maxInFlight) {
      return Future.failedFuture(new Busy(maxInFlight + " questions are already waiting for upstreams on this instance "
        + "(dns.max_in_flight); try again shortly"));
    }
    Future<Resolution> resolution = forwarder.forward(key.name(), key.type()).map(answer -> {
      TtlPolicy.Cacheable served = policy.apply(answer);
      counters.evictions().add(cache.put(key, served.answer(), served.lifetimeSeconds(), nanos.getAsLong()));
      return new Resolution(served.answer(), false, false);
    });
    inFlight.put(key, resolution);
    resolution.onComplete(done -> inFlight.remove(key));
    return resolution;
  }
}
