package dev.vxnet.dns;

import dev.vxnet.dns.wire.ClientQuery;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * RFC 8484 responses built from the resolver's event-bus reply: its {@code wire} answer addressed to the client's
 * query by {@link ClientQuery} (ID, flags, question, OPT with the DO bit), a stale answer marked with Extended DNS
 * Error 3 (RFC 8914, RFC 8767).
 */
final class DohWire {

  private static final List<EDNSOption> STALE = List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER));

  private DohWire() {
  }

  /** The resolver's reply as the response to {@code query}. */
  static byte[] answer(ClientQuery query, JsonObject reply) throws IOException {
    Message resolved = new Message(Base64.getDecoder().decode(reply.getString("wire")));
    return query.answer(resolved.getRcode(), resolved.getSection(Section.ANSWER), resolved.getSection(Section.AUTHORITY),
      reply.getBoolean("stale", false) ? STALE : List.of(), DohRoutes.MAX_MESSAGE_BYTES);
  }
}
