package dev.vxnet.dns.wire;

import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.util.List;
import java.util.Optional;

/**
 * A DNS message a client sent (over UDP, TCP, TLS or HTTPS), checked before anything is asked upstream, and every
 * response to it. The same checks on every face, so that a malformed message gets the same verdict everywhere; the
 * face turns the verdict into what its transport requires (no answer or FORMERR on Do53 and DoT, 400 on DoH).
 * Never throws on any input.
 *
 * <ul>
 *   <li>{@link Verdict#DROP}: shorter than a header, or a response (QR set). Nothing to answer: a response to a
 *       response could start a loop between two servers.</li>
 *   <li>{@link Verdict#REJECT}, answered at once: FORMERR for a message that does not parse, is cut off (dnsjava
 *       tolerates that when TC is set), has bytes after its last record, has not exactly one question (RFC 9619), has
 *       more than one OPT or one outside the additional section or not owned by the root (RFC 6891 section 6.1.1);
 *       NOTIMP for an opcode other than QUERY; BADVERS for an EDNS version other than 0 (RFC 6891 section 6.1.3);
 *       REFUSED with an Extended DNS Error (RFC 8914) for a class other than IN, a meta-type such as ANY or AXFR
 *       ({@link QueryType#refusal}) or a name outside {@link DnsNames}' rules.</li>
 *   <li>{@link Verdict#RESOLVE}: one question vxnet answers.</li>
 * </ul>
 *
 * Responses keep the query's ID, opcode, RD and CD flags and question (in the client's letter case), set QR and RA,
 * and carry an OPT record when the query had a valid one (RFC 6891 section 7): version 0, this server's payload size,
 * the DO bit echoed (RFC 3225 section 3), and any options such as an Extended DNS Error.
 */
public final class ClientQuery {

  /** What to do with a client's message. */
  public enum Verdict { RESOLVE, REJECT, DROP }

  public static final int HEADER_BYTES = 12;
  /** The smallest UDP payload every requester accepts (RFC 1035 section 4.2.1, RFC 6891 section 6.2.5). */
  public static final int MIN_UDP_PAYLOAD = 512;

  private static final int QR = 0x8000;

  private final Verdict verdict;
  private final int rcode;
  private final String reason;
  private final int extendedError;
  private final int id;
  private final int flags;
  private final Record question;
  private final OPTRecord opt;

  private ClientQuery(Verdict verdict, int rcode, String reason, int extendedError, int id, int flags, Record question,
                      OPTRecord opt) {
    this.verdict = verdict;
    this.rcode = rcode;
    this.reason = reason;
    this.extendedError = extendedError;
    this.id = id;
    this.flags = flags;
    this.question = question;
    this.opt = opt;
  }

  /** Checks {@code wire}, a whole DNS message (without the 2-byte length of TCP). */
  public static ClientQuery parse(byte[] wire) {
    if (wire.length < HEADER_BYTES) {
      return new ClientQuery(Verdict.DROP, 0, wire.length + " bytes: shorter than a DNS header (12 bytes)", -1, 0, 0, null, null);
    }
    int id = (wire[0] & 0xff) << 8 | (wire[1] & 0xff);
    int flags = (wire[2] & 0xff) << 8 | (wire[3] & 0xff);
    if ((flags & QR) != 0) {
      return new ClientQuery(Verdict.DROP, 0, "the DNS message is a response (QR set), not a query", -1, id, flags, null, null);
    }
    Message message;
    try {
      message = new Message(wire);
    } catch (Exception malformed) { // WireParseException, or any runtime exception of the parser on hostile input
      return formErr(id, flags, null, null, "not a DNS message: " + malformed.getMessage());
    }
    Header header = message.getHeader();
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      int read = message.getSection(section).size();
      if (read != header.getCount(section)) {
        return formErr(id, flags, null, null, "cut off: the header announces " + header.getCount(section) + " record(s) in the "
          + Section.longString(section) + " section, the message holds " + read);
      }
    }
    if (message.numBytes() < wire.length) {
      return formErr(id, flags, null, null, (wire.length - message.numBytes()) + " byte(s) after the last record");
    }
    List<Record> questions = message.getSection(Section.QUESTION);
    Record question = questions.size() == 1 ? questions.get(0) : null;
    Optional<String> optProblem = optProblem(message);
    if (optProblem.isPresent()) {
      return formErr(id, flags, question, null, optProblem.get());
    }
    OPTRecord opt = message.getOPT();
    if (header.getOpcode() != Opcode.QUERY) {
      return new ClientQuery(Verdict.REJECT, Rcode.NOTIMP, "opcode " + Opcode.string(header.getOpcode())
        + " is not supported; only QUERY", ExtendedErrorCodeOption.NOT_SUPPORTED, id, flags, question, opt);
    }
    if (question == null) {
      return formErr(id, flags, null, opt, "the DNS query has " + questions.size() + " questions; exactly 1 is supported (RFC 9619)");
    }
    if (opt != null && opt.getVersion() != 0) {
      return new ClientQuery(Verdict.REJECT, Rcode.BADVERS, "EDNS version " + opt.getVersion() + "; only version 0 is supported",
        -1, id, flags, question, opt);
    }
    Optional<String> refusal = refusal(question);
    if (refusal.isPresent()) {
      return new ClientQuery(Verdict.REJECT, Rcode.REFUSED, refusal.get(),
        question.getDClass() == DClass.IN && QueryType.refusal(question.getType()).isEmpty()
          ? ExtendedErrorCodeOption.OTHER : ExtendedErrorCodeOption.NOT_SUPPORTED, id, flags, question, opt);
    }
    return new ClientQuery(Verdict.RESOLVE, Rcode.NOERROR, null, -1, id, flags, question, opt);
  }

  private static ClientQuery formErr(int id, int flags, Record question, OPTRecord opt, String reason) {
    return new ClientQuery(Verdict.REJECT, Rcode.FORMERR, reason, -1, id, flags, question, opt);
  }

  /** RFC 6891 section 6.1.1: at most one OPT, in the additional section, owned by the root. */
  private static Optional<String> optProblem(Message message) {
    for (int section = Section.QUESTION; section < Section.ADDITIONAL; section++) {
      if (message.getSection(section).stream().anyMatch(record -> record.getType() == Type.OPT)) {
        return Optional.of("an OPT record in the " + Section.longString(section) + " section; it belongs in the additional "
          + "section (RFC 6891)");
      }
    }
    List<Record> opts = message.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.OPT).toList();
    if (opts.size() > 1) {
      return Optional.of(opts.size() + " OPT records; at most 1 is allowed (RFC 6891 section 6.1.1)");
    }
    if (opts.size() == 1 && !opts.get(0).getName().equals(Name.root)) {
      return Optional.of("the OPT record is owned by " + opts.get(0).getName() + "; it must be the root (RFC 6891 section 6.1.2)");
    }
    return Optional.empty();
  }

  private static Optional<String> refusal(Record question) {
    if (question.getDClass() != DClass.IN) {
      return Optional.of("class " + DClass.string(question.getDClass()) + ": vxnet forwards questions of class IN only");
    }
    return QueryType.refusal(question.getType())
      .or(() -> DnsNames.problem(question.getName()).map(problem -> "name " + problem));
  }

  public Verdict verdict() {
    return verdict;
  }

  /** The response code of a {@link Verdict#REJECT} (FORMERR, NOTIMP, REFUSED or BADVERS). */
  public int rcode() {
    return rcode;
  }

  /** Why the message is dropped or rejected, naming the part at fault; {@code null} for {@link Verdict#RESOLVE}. */
  public String reason() {
    return reason;
  }

  /** Whether the 400 of DNS over HTTPS applies: the message is no well-formed DNS query (DROP or FORMERR). */
  public boolean malformed() {
    return verdict == Verdict.DROP || (verdict == Verdict.REJECT && rcode == Rcode.FORMERR);
  }

  public int id() {
    return id;
  }

  /** The question as the client sent it; {@code null} when it has none or it could not be read. */
  public Record question() {
    return question;
  }

  public Name name() {
    return question.getName();
  }

  public int type() {
    return question.getType();
  }

  /** Whether the query had a valid OPT record (EDNS). */
  public boolean edns() {
    return opt != null;
  }

  /** The DO bit: the client accepts DNSSEC records (RFC 3225). */
  public boolean dnssecOk() {
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  /**
   * The most bytes a UDP response may have: the requester's EDNS payload size, raised to 512 and capped at
   * {@code serverMax} (RFC 6891 section 6.2.5); 512 without EDNS (RFC 1035 section 4.2.1).
   */
  public int udpLimit(int serverMax) {
    int asked = opt == null ? MIN_UDP_PAYLOAD : Math.max(MIN_UDP_PAYLOAD, opt.getPayloadSize());
    return Math.max(MIN_UDP_PAYLOAD, Math.min(asked, serverMax));
  }

  /**
   * The response to a query to be resolved: {@code rcode} with these records, and {@code options} (e.g. an Extended
   * DNS Error) in the OPT record when the query had EDNS. Longer than {@code maxBytes}: cut after the last whole RRset
   * that fits, with TC set (the client asks again over TCP).
   */
  public byte[] answer(int rcode, List<Record> answers, List<Record> authority, List<EDNSOption> options, int maxBytes) {
    return render(rcode, answers, authority, options, maxBytes, false);
  }

  /** An answer without records: {@code rcode}, and an Extended DNS Error with {@code text} when the query had EDNS. */
  public byte[] error(int rcode, int extendedError, String text, int maxBytes) {
    return render(rcode, List.of(), List.of(), List.of(new ExtendedErrorCodeOption(extendedError, truncate(text))), maxBytes, false);
  }

  /** The response to a {@link Verdict#REJECT}, with the reason as an Extended DNS Error when the query had EDNS. */
  public byte[] rejection(int maxBytes) {
    List<EDNSOption> options = extendedError < 0 ? List.of() : List.of(new ExtendedErrorCodeOption(extendedError, truncate(reason)));
    return render(rcode, List.of(), List.of(), options, maxBytes, false);
  }

  /** Answers with only the header, question and OPT, TC set: "ask again over TCP" (the slip of a rate limit). */
  public byte[] truncated(int maxBytes) {
    return render(Rcode.NOERROR, List.of(), List.of(), List.of(), maxBytes, true);
  }

  private byte[] render(int responseCode, List<Record> answers, List<Record> authority, List<EDNSOption> options, int maxBytes,
                        boolean truncated) {
    Message response = new Message(id);
    Header header = response.getHeader();
    header.setFlag(Flags.QR);
    header.setOpcode((flags >> 11) & 0xf);
    copyFlag(header, Flags.RD);
    copyFlag(header, Flags.CD);
    header.setFlag(Flags.RA);
    if (truncated) {
      header.setFlag(Flags.TC);
    }
    header.setRcode(responseCode & 0xf);
    if (question != null) {
      response.addRecord(question, Section.QUESTION);
    }
    answers.forEach(record -> response.addRecord(record, Section.ANSWER));
    authority.forEach(record -> response.addRecord(record, Section.AUTHORITY));
    if (opt != null) {
      response.addRecord(new OPTRecord(DnsMessages.EDNS_PAYLOAD, responseCode >>> 4, 0, dnssecOk() ? ExtendedFlags.DO : 0,
        options), Section.ADDITIONAL);
    }
    return response.toWire(maxBytes);
  }

  private void copyFlag(Header header, int flag) {
    if ((flags & (1 << (15 - flag))) != 0) {
      header.setFlag(flag);
    }
  }

  /** An EDE text is for people; a long one (all upstream failures) must not push the answer past 512 bytes. */
  private static String truncate(String text) {
    return text == null || text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }
}
