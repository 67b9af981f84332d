package dev.vxnet.dns;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.Type;

/**
 * A resolver reply in the JSON format of the Google Public DNS and Cloudflare DoH JSON APIs: {@code Status},
 * the header flags {@code TC RD RA AD CD}, {@code Question}, {@code Answer} and, for negative answers,
 * {@code Authority}; record types as numbers, {@code TTL} in seconds, {@code data} in zone-file format.
 */
final class DohJson {

  private DohJson() {
  }

  static JsonObject from(JsonObject reply, boolean checkingDisabled) {
    JsonObject json = new JsonObject()
      .put("Status", reply.getInteger("status"))
      .put("TC", false)  // answers truncated over UDP were fetched again over TCP
      .put("RD", true)
      .put("RA", true)
      .put("AD", false)  // vxnet does not validate DNSSEC
      .put("CD", checkingDisabled)
      .put("Question", new JsonArray().add(new JsonObject()
        .put("name", reply.getString("name"))
        .put("type", Type.value(reply.getString("type")))));
    putRecords(json, "Answer", reply.getJsonArray("answers"));
    putRecords(json, "Authority", reply.getJsonArray("authority"));
    return json;
  }

  /** The smallest TTL of a reply's records: how long an HTTP cache may keep the response. */
  static long minTtl(JsonObject reply) {
    return records(reply).stream().mapToLong(r -> ((JsonObject) r).getLong("ttl")).min().orElse(0);
  }

  private static JsonArray records(JsonObject reply) {
    return reply.getJsonArray("answers").copy().addAll(reply.getJsonArray("authority"));
  }

  /** Like the public APIs, an empty section is left out. */
  private static void putRecords(JsonObject json, String section, JsonArray records) {
    if (records.isEmpty()) {
      return;
    }
    JsonArray converted = new JsonArray();
    records.forEach(r -> {
      JsonObject record = (JsonObject) r;
      converted.add(new JsonObject()
        .put("name", record.getString("name"))
        .put("type", Type.value(record.getString("type")))
        .put("TTL", record.getLong("ttl"))
        .put("data", record.getString("data")));
    });
    json.put(section, converted);
  }
}
