package dev.vxnet.dns;

import dev.vxnet.dns.resolver.DnsMessages;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * RFC 8484 messages: the response to a client's query built from the resolver's wire answer, with the client's
 * ID, its RD and CD flags, and an OPT record when the query had one (RFC 6891); and error responses.
 */
final class DohWire {

  private DohWire() {
  }

  /** The resolver's {@code wire} answer, addressed to {@code query}. */
  static Message answer(Message query, JsonObject reply) throws IOException {
    Message response = new Message(Base64.getDecoder().decode(reply.getString("wire")));
    return addressed(query, response, List.of());
  }

  /** A response with no records and {@code rcode}; {@code text} goes into an Extended DNS Error (RFC 8914). */
  static Message error(Message query, int rcode, int extendedError, String text) {
    Record question = query.getQuestion();
    Message response = DnsMessages.response(0, question.getName(), question.getType(), rcode, List.of(), List.of());
    return addressed(query, response, List.of(new ExtendedErrorCodeOption(extendedError, text)));
  }

  private static Message addressed(Message query, Message response, List<EDNSOption> options) {
    response.getHeader().setID(query.getHeader().getID());
    copyFlag(query, response, Flags.RD);
    copyFlag(query, response, Flags.CD);
    if (query.getOPT() != null) {
      response.addRecord(new OPTRecord(DnsMessages.EDNS_PAYLOAD, 0, 0, 0, options), Section.ADDITIONAL);
    }
    return response;
  }

  private static void copyFlag(Message query, Message response, int flag) {
    if (query.getHeader().getFlag(flag)) {
      response.getHeader().setFlag(flag);
    } else {
      response.getHeader().unsetFlag(flag);
    }
  }
}
