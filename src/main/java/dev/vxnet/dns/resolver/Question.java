package dev.vxnet.dns.resolver;

import dev.vxnet.dns.wire.DnsNames;
import dev.vxnet.dns.wire.InvalidRequest;
import dev.vxnet.dns.wire.QueryType;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.Name;

import java.util.Set;

/**
 * One validated question of a {@code vxnet.dns.resolve} request: {@code {"name": ..., "type": ..., "wire": ...}}.
 * For PTR an IPv4 or IPv6 address stands for its in-addr.arpa / ip6.arpa name. Problems name the field, prefixed
 * with {@code prefix} ({@code "queries[2]."} in a batch).
 */
record Question(Name name, QueryType type, boolean wire) {

  private static final Set<String> FIELDS = Set.of("name", "type", "wire");

  static Question parse(Object value, String prefix) {
    if (!(value instanceof JsonObject body)) {
      throw new InvalidRequest(prefix.isEmpty() ? "request" : prefix.substring(0, prefix.length() - 1),
        "expected a JSON object such as {\"name\":\"example.com\",\"type\":\"A\"}, got " + value);
    }
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw new InvalidRequest(prefix + field, "unknown field (known: name, type, wire)");
      }
    }
    QueryType type = QueryType.parse(body.getValue("type"), prefix + "type");
    Object wire = body.getValue("wire");
    if (wire != null && !(wire instanceof Boolean)) {
      throw new InvalidRequest(prefix + "wire", "expected true or false, got " + wire);
    }
    if (Boolean.TRUE.equals(wire) && type.equals(QueryType.ADDR)) {
      throw new InvalidRequest(prefix + "wire", "ADDR is two questions (A and AAAA) and has no single DNS message");
    }
    Object name = body.getValue("name");
    Name parsed = type.equals(QueryType.PTR) && name instanceof String text
      ? DnsNames.reverse(text).orElseGet(() -> DnsNames.parse(text, prefix + "name"))
      : DnsNames.parse(name, prefix + "name");
    return new Question(parsed, type, Boolean.TRUE.equals(wire));
  }
}
