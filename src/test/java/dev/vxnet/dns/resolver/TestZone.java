package dev.vxnet.dns.resolver;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The test zone {@code vxnet.test.} (with its IPv4 and IPv6 reverse names) and an authoritative answer to a
 * query: records of every type the resolver supports, a CNAME, NXDOMAIN and NODATA with the SOA in the
 * authority section, and a TXT too large for one UDP answer.
 */
public final class TestZone {

  public static final Name ORIGIN = Name.fromConstantString("vxnet.test.");
  public static final String WWW_V4 = "192.0.2.10";
  public static final String WWW_V4_SECOND = "192.0.2.11";
  public static final String WWW_V6 = "2001:db8::10";
  public static final String BIG_TXT_NAME = "big.vxnet.test.";
  public static final int BIG_TXT_STRINGS = 12;

  private final List<Record> records = new ArrayList<>();
  private final Record soa;

  /** Every record has {@code ttl}, except the SOA: {@code soaTtl}, and SOA MINIMUM {@code soaMinimum}. */
  public TestZone(long ttl, long soaTtl, long soaMinimum) {
    soa = record("vxnet.test.", Type.SOA, soaTtl,
      "ns1.vxnet.test. hostmaster.vxnet.test. 2026010101 3600 600 86400 " + soaMinimum);
    records.add(soa);
    add("vxnet.test.", Type.NS, ttl, "ns1.vxnet.test.");
    add("vxnet.test.", Type.MX, ttl, "10 mail.vxnet.test.");
    add("vxnet.test.", Type.TXT, ttl, "\"v=spf1 -all\"");
    add("ns1.vxnet.test.", Type.A, ttl, "192.0.2.53");
    add("www.vxnet.test.", Type.A, ttl, WWW_V4);
    add("www.vxnet.test.", Type.A, ttl, WWW_V4_SECOND);
    add("www.vxnet.test.", Type.AAAA, ttl, WWW_V6);
    add("alias.vxnet.test.", Type.CNAME, ttl, "www.vxnet.test.");
    add("mail.vxnet.test.", Type.A, ttl, "192.0.2.25");
    add("v4only.vxnet.test.", Type.A, ttl, "192.0.2.40");
    add("txt.vxnet.test.", Type.TXT, ttl, "\"hello world\" \"second string\"");
    add("_sip._tcp.vxnet.test.", Type.SRV, ttl, "10 60 5060 sip.vxnet.test.");
    add(reverse(WWW_V4), Type.PTR, ttl, "www.vxnet.test.");
    add(reverse(WWW_V6), Type.PTR, ttl, "www.vxnet.test.");
    add(BIG_TXT_NAME, Type.TXT, ttl, bigStrings());
  }

  private static String bigStrings() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < BIG_TXT_STRINGS; i++) {
      text.append('"').append(String.valueOf((char) ('a' + i)).repeat(200)).append("\" ");
    }
    return text.toString().trim();
  }

  public static String reverse(String address) {
    try {
      return ReverseMap.fromAddress(address).toString();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  /** The authoritative response to {@code query}; {@code maxBytes} is the UDP limit (0 for TCP: none). */
  public Message answer(Message query, int maxBytes) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    response.addRecord(question, Section.QUESTION);
    List<Record> atName = at(question.getName());
    if (atName.isEmpty()) {
      response.getHeader().setRcode(Rcode.NXDOMAIN);
      response.addRecord(soa, Section.AUTHORITY);
      return response;
    }
    List<Record> matching = ofType(atName, question.getType());
    Optional<Record> cname = ofType(atName, Type.CNAME).stream().findFirst();
    if (matching.isEmpty() && cname.isPresent()) {
      response.addRecord(cname.get(), Section.ANSWER);
      matching = ofType(at(((CNAMERecord) cname.get()).getTarget()), question.getType());
    }
    matching.forEach(record -> response.addRecord(record, Section.ANSWER));
    if (matching.isEmpty()) {
      response.addRecord(soa, Section.AUTHORITY);
    }
    if (maxBytes > 0 && response.toWire().length > maxBytes) {
      response.removeAllRecords(Section.ANSWER);
      response.removeAllRecords(Section.AUTHORITY);
      response.getHeader().setFlag(Flags.TC);
    }
    return response;
  }

  private List<Record> at(Name name) {
    return records.stream().filter(record -> record.getName().equals(name)).toList();
  }

  private static List<Record> ofType(List<Record> records, int type) {
    return records.stream().filter(record -> record.getType() == type).toList();
  }

  private void add(String name, int type, long ttl, String data) {
    records.add(record(name, type, ttl, data));
  }

  private static Record record(String name, int type, long ttl, String data) {
    try {
      return Record.fromString(Name.fromString(name), type, DClass.IN, ttl, data, Name.root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
