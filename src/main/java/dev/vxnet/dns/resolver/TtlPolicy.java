package dev.vxnet.dns.resolver;

import dev.vxnet.dns.upstream.Answer;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

import java.util.List;

/**
 * How long an answer is served and cached. Answer TTLs are clamped to [{@code minTtl}, {@code maxTtl}]; a negative
 * answer lives for min(SOA TTL, SOA MINIMUM) as RFC 2308 says, capped at {@code negativeTtlMax}, and without a SOA
 * it is not cached at all. All values in seconds.
 */
record TtlPolicy(long minTtl, long maxTtl, long negativeTtlMax) {

  /** The answer as served, with the TTLs it is served with, and how long it may be cached (0: not at all). */
  record Cacheable(Answer answer, long lifetimeSeconds) {
  }

  Cacheable apply(Answer answer) {
    List<Record> answers = answer.answers().stream()
      .map(record -> Answer.withTtl(record, Math.min(maxTtl, Math.max(minTtl, record.getTTL()))))
      .toList();
    long lifetime = answers.stream().mapToLong(Record::getTTL).min().orElse(Long.MAX_VALUE);
    List<Record> authority = answer.authority();
    if (answer.negative()) {
      SOARecord soa = (SOARecord) authority.stream().filter(SOARecord.class::isInstance).findFirst().orElse(null);
      if (soa == null) {
        return new Cacheable(new Answer(answer.type(), answer.rcode(), answers, authority, answer.upstream()), 0);
      }
      long negativeTtl = Math.min(negativeTtlMax, Math.min(soa.getTTL(), soa.getMinimum()));
      authority = List.of(Answer.withTtl(soa, negativeTtl));
      lifetime = Math.min(lifetime, negativeTtl);
    }
    return new Cacheable(new Answer(answer.type(), answer.rcode(), answers, authority, answer.upstream()), lifetime);
  }
}
