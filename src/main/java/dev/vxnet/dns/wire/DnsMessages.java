package dev.vxnet.dns.wire;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.util.List;

/** Builds the DNS messages vxnet sends upstream, and the plain responses the resolver hands to its faces. */
public final class DnsMessages {

  /** The EDNS UDP payload size advertised: the 2020 DNS flag day value, which avoids IP fragmentation. */
  public static final int EDNS_PAYLOAD = 1232;

  private DnsMessages() {
  }

  /** A recursive query (RD) for one question, with EDNS so that answers up to {@link #EDNS_PAYLOAD} fit in UDP. */
  public static Message query(Name name, int type, int id) {
    Message query = new Message(id);
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    return query;
  }

  /** A response of a recursive resolver (QR, RD, RA) to one question. */
  public static Message response(int id, Name name, int type, int rcode, List<Record> answers, List<Record> authority) {
    Message response = new Message(id);
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    response.getHeader().setRcode(rcode);
    response.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    answers.forEach(record -> response.addRecord(record, Section.ANSWER));
    authority.forEach(record -> response.addRecord(record, Section.AUTHORITY));
    return response;
  }

  /** Whether {@code response} answers {@code query}: same ID, QR set, same question. */
  public static boolean answers(Message response, Message query) {
    Record asked = query.getQuestion();
    Record answered = response.getQuestion();
    return response.getHeader().getID() == query.getHeader().getID()
      && response.getHeader().getFlag(Flags.QR)
      && answered != null
      && answered.getName().equals(asked.getName())
      && answered.getType() == asked.getType()
      && answered.getDClass() == asked.getDClass();
  }
}
