package dev.vxnet.dns.resolver;

import dev.vxnet.dns.resolver.Resolver.Resolution;
import dev.vxnet.dns.upstream.Answer;
import dev.vxnet.dns.upstream.Upstream;
import dev.vxnet.dns.wire.DnsMessages;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The JSON replies of {@code vxnet.dns.resolve} (schema in docs/dns.md). */
final class ResolveReply {

  private ResolveReply() {
  }

  static JsonObject single(Question question, Resolution resolution) {
    Answer answer = resolution.answer();
    JsonObject reply = reply(question, answer.rcode(), answer.answers(), answer.authority(), resolution.cached(),
      resolution.stale(), answer.upstream().toString());
    if (question.wire()) {
      byte[] wire = DnsMessages.response(0, question.name(), question.type().code(), answer.rcode(), answer.answers(),
        answer.authority()).toWire();
      reply.put("wire", Base64.getEncoder().encodeToString(wire));
    }
    return reply;
  }

  /** ADDR: the A and AAAA answers together, and the addresses alone as getaddrinfo would list them. */
  static JsonObject addresses(Question question, Resolution v4, Resolution v6) {
    Answer a = v4.answer();
    Answer aaaa = v6.answer();
    int rcode = a.rcode() == Rcode.NOERROR || aaaa.rcode() == Rcode.NOERROR ? Rcode.NOERROR : a.rcode();
    // A CNAME chain comes in both answers; dnsjava's Record.equals ignores the TTL, so the copies collapse.
    List<Record> answers = Stream.concat(a.answers().stream(), aaaa.answers().stream()).distinct().toList();
    List<Record> authority = Stream.concat(a.authority().stream(), aaaa.authority().stream()).distinct().toList();
    String upstreams = Stream.of(a.upstream(), aaaa.upstream()).map(Upstream::toString).distinct()
      .collect(Collectors.joining(", "));
    JsonArray addresses = new JsonArray();
    answers.stream().filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA)
      .forEach(r -> addresses.add(data(r)));
    return reply(question, rcode, answers, authority, v4.cached() && v6.cached(), v4.stale() || v6.stale(), upstreams)
      .put("addresses", addresses);
  }

  private static JsonObject reply(Question question, int rcode, List<Record> answers, List<Record> authority,
                                  boolean cached, boolean stale, String upstream) {
    return new JsonObject()
      .put("name", question.name().toString())
      .put("type", question.type().name())
      .put("rcode", Rcode.string(rcode))
      .put("status", rcode)
      .put("answers", records(answers))
      .put("authority", records(authority))
      .put("cached", cached)
      .put("stale", stale)
      .put("upstream", upstream);
  }

  private static JsonArray records(List<Record> records) {
    JsonArray array = new JsonArray();
    records.forEach(r -> array.add(new JsonObject()
      .put("name", r.getName().toString())
      .put("type", Type.string(r.getType()))
      .put("ttl", r.getTTL())
      .put("data", data(r))));
    return array;
  }

  /** The record data in zone-file format; IPv6 addresses in their short form (RFC 5952) as the public DoH APIs give them. */
  static String data(Record record) {
    return record instanceof AAAARecord aaaa ? NetUtil.toAddressString(aaaa.getAddress()) : record.rdataToString();
  }
}
