package dev.vxnet.dns.resolver;

import dev.vxnet.dns.upstream.Answer;
import dev.vxnet.dns.upstream.Upstream;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache and the TTL policy on a clock the test moves: TTLs decrease, clamps, RFC 2308 negative caching, LRU. */
class DnsCacheTest {

  private static final long SECOND = 1_000_000_000L;
  private static final Upstream UPSTREAM = Upstream.parse("127.0.0.1:5353", "test");
  private static final TtlPolicy NO_CLAMPS = new TtlPolicy(0, 86_400, 3_600);
  private static final Name WWW = Name.fromConstantString("www.vxnet.test.");

  private static Record record(String name, int type, long ttl, String data) {
    try {
      return Record.fromString(Name.fromString(name), type, DClass.IN, ttl, data, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Record soa(long ttl, long minimum) {
    return record("vxnet.test.", Type.SOA, ttl, "ns1.vxnet.test. hostmaster.vxnet.test. 1 3600 600 86400 " + minimum);
  }

  private static Answer positive(long... ttls) {
    List<Record> records = LongStream.of(ttls)
      .mapToObj(ttl -> record("www.vxnet.test.", Type.A, ttl, "192.0.2." + ttl % 250)).toList();
    return new Answer(Type.A, Rcode.NOERROR, records, List.of(), UPSTREAM);
  }

  /** The answer as served while fresh; empty once expired (stale entries are not answers here). */
  private static Optional<Answer> fresh(DnsCache cache, DnsCache.Key key, long nowNanos) {
    return cache.get(key, nowNanos).filter(DnsCache.Cached::fresh).map(DnsCache.Cached::answer);
  }

  private static List<Long> ttls(List<Record> records) {
    return records.stream().map(Record::getTTL).toList();
  }

  @Test
  void ttlsDecreaseWhileCachedUntilTheLifetimeEnds() {
    DnsCache cache = new DnsCache(10, 0);
    DnsCache.Key key = new DnsCache.Key(WWW, Type.A);
    TtlPolicy.Cacheable served = NO_CLAMPS.apply(positive(300, 60));
    assertEquals(60, served.lifetimeSeconds(), "the smallest TTL bounds the lifetime");
    long t0 = 5 * SECOND;
    assertEquals(0, cache.put(key, served.answer(), served.lifetimeSeconds(), t0));

    assertEquals(List.of(300L, 60L), ttls(fresh(cache, key, t0).orElseThrow().answers()));
    assertEquals(List.of(300L, 60L), ttls(fresh(cache, key, t0 + SECOND - 1).orElseThrow().answers()), "whole seconds only");
    assertEquals(List.of(299L, 59L), ttls(fresh(cache, key, t0 + SECOND).orElseThrow().answers()));
    assertEquals(List.of(241L, 1L), ttls(fresh(cache, key, t0 + 59 * SECOND).orElseThrow().answers()));
    assertEquals(Optional.empty(), fresh(cache, key, t0 + 60 * SECOND), "a TTL of 0 is never served from the cache");
    assertEquals(0, cache.size(), "an expired entry is dropped when found");
    assertEquals(Optional.empty(), fresh(cache, new DnsCache.Key(WWW, Type.AAAA), t0), "another type is another question");
  }

  @Test
  void namesMatchWithoutRegardToCase() {
    DnsCache cache = new DnsCache(10, 0);
    cache.put(new DnsCache.Key(WWW, Type.A), positive(30), 30, 0);
    assertTrue(fresh(cache, new DnsCache.Key(Name.fromConstantString("WWW.VXNET.test."), Type.A), SECOND).isPresent());
  }

  @Test
  void ttlsAreClampedToTheMinimumAndMaximum() {
    TtlPolicy clamps = new TtlPolicy(30, 600, 3_600);
    TtlPolicy.Cacheable low = clamps.apply(positive(5));
    assertEquals(List.of(30L), ttls(low.answer().answers()));
    assertEquals(30, low.lifetimeSeconds());
    TtlPolicy.Cacheable high = clamps.apply(positive(86_400, 1_000));
    assertEquals(List.of(600L, 600L), ttls(high.answer().answers()));
    assertEquals(600, high.lifetimeSeconds());
    TtlPolicy.Cacheable between = clamps.apply(positive(100));
    assertEquals(List.of(100L), ttls(between.answer().answers()));
    assertEquals(0, NO_CLAMPS.apply(positive(0)).lifetimeSeconds(), "TTL 0 without a minimum: not cached");
    assertEquals(0, new DnsCache(10, 0).put(new DnsCache.Key(WWW, Type.A), positive(0), 0, 0));
  }

  @Test
  void negativeAnswersLiveForTheSoaMinimumCapped() {
    Answer nxdomain = new Answer(Type.A, Rcode.NXDOMAIN, List.of(), List.of(soa(3_600, 300)), UPSTREAM);
    TtlPolicy.Cacheable byMinimum = NO_CLAMPS.apply(nxdomain);
    assertEquals(300, byMinimum.lifetimeSeconds(), "min(SOA TTL 3600, MINIMUM 300)");
    assertEquals(List.of(300L), ttls(byMinimum.answer().authority()), "the SOA is served with the negative TTL");

    Answer bySoaTtl = new Answer(Type.A, Rcode.NXDOMAIN, List.of(), List.of(soa(120, 900)), UPSTREAM);
    assertEquals(120, NO_CLAMPS.apply(bySoaTtl).lifetimeSeconds(), "min(SOA TTL 120, MINIMUM 900)");

    TtlPolicy capped = new TtlPolicy(0, 86_400, 60);
    assertEquals(60, capped.apply(nxdomain).lifetimeSeconds(), "negative_ttl_max caps it");
    assertEquals(300, new TtlPolicy(600, 86_400, 3_600).apply(nxdomain).lifetimeSeconds(), "min_ttl is for positive answers");

    Answer nodata = new Answer(Type.AAAA, Rcode.NOERROR, List.of(), List.of(soa(3_600, 45)), UPSTREAM);
    assertTrue(nodata.negative());
    assertEquals(45, NO_CLAMPS.apply(nodata).lifetimeSeconds());

    Answer cnameToNothing = new Answer(Type.AAAA, Rcode.NOERROR,
      List.of(record("alias.vxnet.test.", Type.CNAME, 30, "www.vxnet.test.")), List.of(soa(3_600, 45)), UPSTREAM);
    assertTrue(cnameToNothing.negative());
    assertEquals(30, NO_CLAMPS.apply(cnameToNothing).lifetimeSeconds(), "the CNAME's TTL is smaller");

    Answer withoutSoa = new Answer(Type.A, Rcode.NXDOMAIN, List.of(), List.of(), UPSTREAM);
    assertEquals(0, NO_CLAMPS.apply(withoutSoa).lifetimeSeconds(), "RFC 2308: no SOA, no negative caching");
  }

  @Test
  void negativeAnswersAgeLikeOthers() {
    DnsCache cache = new DnsCache(10, 0);
    DnsCache.Key key = new DnsCache.Key(Name.fromConstantString("missing.vxnet.test."), Type.A);
    TtlPolicy.Cacheable served = NO_CLAMPS.apply(new Answer(Type.A, Rcode.NXDOMAIN, List.of(), List.of(soa(3_600, 10)), UPSTREAM));
    cache.put(key, served.answer(), served.lifetimeSeconds(), 0);
    Answer later = fresh(cache, key, 4 * SECOND).orElseThrow();
    assertEquals(Rcode.NXDOMAIN, later.rcode());
    assertEquals(List.of(6L), ttls(later.authority()));
    assertEquals(Optional.empty(), fresh(cache, key, 10 * SECOND));
  }

  @Test
  void theLeastRecentlyUsedIsEvictedWhenFull() {
    DnsCache cache = new DnsCache(2, 0);
    DnsCache.Key a = new DnsCache.Key(Name.fromConstantString("a.vxnet.test."), Type.A);
    DnsCache.Key b = new DnsCache.Key(Name.fromConstantString("b.vxnet.test."), Type.A);
    DnsCache.Key c = new DnsCache.Key(Name.fromConstantString("c.vxnet.test."), Type.A);
    assertEquals(0, cache.put(a, positive(60), 60, 0));
    assertEquals(0, cache.put(b, positive(60), 60, 0));
    assertTrue(fresh(cache, a, 0).isPresent(), "a is now more recently used than b");
    assertEquals(1, cache.put(c, positive(60), 60, 0));
    assertEquals(2, cache.size());
    assertTrue(fresh(cache, a, 0).isPresent());
    assertTrue(fresh(cache, b, 0).isEmpty(), "b was evicted");
    assertTrue(fresh(cache, c, 0).isPresent());
    DnsCache disabled = new DnsCache(0, 0);
    assertEquals(0, disabled.put(a, positive(60), 60, 0));
    assertEquals(0, disabled.size(), "0 entries: no cache");
  }

  @Test
  void anExpiredAnswerIsKeptStaleForStaleMaxThenDropped() {
    DnsCache cache = new DnsCache(10, 100);
    DnsCache.Key key = new DnsCache.Key(WWW, Type.A);
    cache.put(key, positive(60), 60, 0);
    DnsCache.Cached fresh = cache.get(key, 59 * SECOND).orElseThrow();
    assertTrue(fresh.fresh());
    assertEquals(1, fresh.remainingSeconds());
    assertEquals(List.of(1L), ttls(fresh.answer().answers()));
    DnsCache.Cached stale = cache.get(key, 60 * SECOND).orElseThrow();
    assertFalse(stale.fresh(), "expired at 60 s");
    assertEquals(List.of(60L), ttls(stale.answer().answers()), "a stale answer comes as stored: the resolver sets its TTL");
    assertTrue(cache.get(key, 159 * SECOND).isPresent(), "kept 100 s past expiry");
    assertTrue(cache.get(key, 160 * SECOND).isEmpty(), "then gone");
    assertEquals(0, cache.size());
  }

  @Test
  void theAgedCopyIsMadeOnceASecond() {
    DnsCache cache = new DnsCache(10, 0);
    DnsCache.Key key = new DnsCache.Key(WWW, Type.A);
    cache.put(key, positive(60), 60, 0);
    Answer first = fresh(cache, key, 2 * SECOND).orElseThrow();
    assertSame(first, fresh(cache, key, 2 * SECOND + SECOND / 2).orElseThrow(), "same second, same copy");
    assertNotSame(first, fresh(cache, key, 3 * SECOND).orElseThrow());
  }

  @Test
  void aRecordKeepsItsDataWithAnotherTtl() {
    for (Record original : List.of(record("vxnet.test.", Type.MX, 300, "10 Mail.vxnet.test."),
      record("txt.vxnet.test.", Type.TXT, 300, "\"hello world\" \"second\""),
      record("_sip._tcp.vxnet.test.", Type.SRV, 300, "10 60 5060 sip.vxnet.test."),
      soa(300, 60), record("www.vxnet.test.", Type.AAAA, 300, "2001:db8::10"))) {
      Record copy = Answer.withTtl(original, 7);
      assertEquals(7, copy.getTTL());
      assertEquals(original.rdataToString(), copy.rdataToString());
      assertEquals(original.getName(), copy.getName());
      assertEquals(original.getType(), copy.getType());
    }
  }
}
