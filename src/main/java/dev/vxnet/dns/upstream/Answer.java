package dev.vxnet.dns.upstream;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

import java.util.Arrays;
import java.util.List;

/**
 * What an upstream said about one question: the response code, the answer records and, for a negative answer
 * (NXDOMAIN, or no record of the asked type: NODATA), the SOA of the authority section that bounds how long the
 * absence may be cached (RFC 2308).
 */
public record Answer(int type, int rcode, List<Record> answers, List<Record> authority, Upstream upstream) {

  static Answer from(Message response, int type, Upstream upstream) {
    Answer withoutAuthority = new Answer(type, response.getRcode(), List.copyOf(response.getSection(Section.ANSWER)), List.of(), upstream);
    if (!withoutAuthority.negative()) {
      return withoutAuthority;
    }
    List<Record> soa = response.getSection(Section.AUTHORITY).stream().filter(SOARecord.class::isInstance).toList();
    return new Answer(type, withoutAuthority.rcode(), withoutAuthority.answers(), soa, upstream);
  }

  /** NXDOMAIN or NODATA: the name, or a record of this type at it, does not exist. */
  public boolean negative() {
    return rcode == Rcode.NXDOMAIN || answers.stream().noneMatch(record -> record.getType() == type);
  }

  /** The same answer {@code seconds} later: every TTL lower by that much, never below 0. */
  public Answer aged(long seconds) {
    return new Answer(type, rcode, aged(answers, seconds), aged(authority, seconds), upstream);
  }

  /** The same answer with every TTL set to {@code ttl}: how a stale answer is served (RFC 8767 section 4: 30 s). */
  public Answer withEveryTtl(long ttl) {
    return new Answer(type, rcode, answers.stream().map(r -> withTtl(r, ttl)).toList(),
      authority.stream().map(r -> withTtl(r, ttl)).toList(), upstream);
  }

  private static List<Record> aged(List<Record> records, long seconds) {
    return records.stream().map(record -> withTtl(record, Math.max(0, record.getTTL() - seconds))).toList();
  }

  /** A copy of {@code record} with another TTL (dnsjava records are immutable to code outside its package). */
  public static Record withTtl(Record record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    byte[] wire = record.toWire(Section.ANSWER); // owner name, type, class, TTL, rdata length, then the rdata
    Name name = record.getName();
    byte[] rdata = Arrays.copyOfRange(wire, name.length() + 10, wire.length);
    return Record.newRecord(name, record.getType(), record.getDClass(), ttl, rdata);
  }
}
