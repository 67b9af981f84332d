package dev.vxnet.dns.resolver;

import dev.vxnet.dns.wire.InvalidRequest;
import dev.vxnet.dns.wire.QueryType;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation of event-bus questions: names (253/63 limits, label characters), types, PTR from an address. */
class QuestionTest {

  private static Question parse(String json) {
    return Question.parse(new JsonObject(json), "");
  }

  private static String refusal(String json) {
    return assertThrows(InvalidRequest.class, () -> parse(json)).getMessage();
  }

  @Test
  void nameAndTypeWithDefaults() {
    Question question = parse("{\"name\":\"WWW.Example.com\"}");
    assertEquals(Name.fromConstantString("www.example.com."), question.name());
    assertEquals("WWW.Example.com.", question.name().toString(), "the case asked is kept");
    assertEquals(QueryType.A, question.type());
    assertFalse(question.wire());
    assertEquals(QueryType.MX, parse("{\"name\":\"example.com.\",\"type\":\"mx\"}").type());
    assertEquals(QueryType.AAAA, parse("{\"name\":\"example.com\",\"type\":28}").type());
    assertEquals(QueryType.SRV, parse("{\"name\":\"_sip._tcp.example.com\",\"type\":\"33\"}").type());
    assertEquals(Name.root, parse("{\"name\":\".\",\"type\":\"NS\"}").name());
    assertTrue(parse("{\"name\":\"example.com\",\"wire\":true}").wire());
  }

  @Test
  void ptrOfAnAddressAsksTheReverseName() {
    assertEquals("10.2.0.192.in-addr.arpa.", parse("{\"name\":\"192.0.2.10\",\"type\":\"PTR\"}").name().toString());
    assertEquals("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
      parse("{\"name\":\"2001:db8::10\",\"type\":\"PTR\"}").name().toString());
    assertEquals("10.2.0.192.in-addr.arpa.", parse("{\"name\":\"10.2.0.192.in-addr.arpa\",\"type\":\"PTR\"}").name().toString());
    assertEquals("192.0.2.10.", parse("{\"name\":\"192.0.2.10\",\"type\":\"A\"}").name().toString(), "only PTR reverses");
  }

  @Test
  void namesAreChecked() {
    assertEquals("name: missing; expected a domain name such as example.com", refusal("{\"type\":\"A\"}"));
    assertEquals("name: is empty; expected a domain name such as example.com", refusal("{\"name\":\"\"}"));
    assertEquals("name: expected a domain name string, got 42", refusal("{\"name\":42}"));
    String label63 = "a".repeat(63);
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertEquals(253, name253.length());
    assertEquals(name253 + ".", parse("{\"name\":\"" + name253 + "\"}").name().toString());
    assertEquals(name253 + ".", parse("{\"name\":\"" + name253 + ".\"}").name().toString(), "the final dot does not count");
    assertEquals("name: is 254 characters long; at most 253 are allowed (without the final dot)",
      refusal("{\"name\":\"" + name253 + "b\"}"));
    assertTrue(refusal("{\"name\":\"" + "a".repeat(64) + ".com\"}").endsWith("is 64 characters long; at most 63 are allowed"));
    assertTrue(refusal("{\"name\":\"exa mple.com\"}").startsWith("name: label \"exa mple\" contains ' '"));
    assertTrue(refusal("{\"name\":\"ex\\u00e4mple.com\"}").contains("contains the character U+00E4"));
    assertTrue(refusal("{\"name\":\"a\\\\.b.com\"}").contains("contains '\\'"));
    assertEquals("name: label \"-bad\" starts or ends with a hyphen", refusal("{\"name\":\"-bad.com\"}"));
    assertEquals("name: has an empty label (a leading dot or two dots in a row)", refusal("{\"name\":\"a..com\"}"));
    assertEquals("name: has an empty label (a leading dot or two dots in a row)", refusal("{\"name\":\".com\"}"));
  }

  @Test
  void typesAndFieldsAreChecked() {
    assertTrue(refusal("{\"name\":\"a.com\",\"type\":\"BOGUS\"}").startsWith("type: unknown type \"BOGUS\" (expected a record type such as A, AAAA,"));
    assertEquals(new QueryType(65), parse("{\"name\":\"a.com\",\"type\":65}").type(), "any data type: HTTPS");
    assertEquals(new QueryType(257), parse("{\"name\":\"a.com\",\"type\":\"caa\"}").type());
    assertEquals("HTTPS", new QueryType(65).name());
    assertTrue(refusal("{\"name\":\"a.com\",\"type\":\"ANY\"}").startsWith("type: type 255 (ANY) is a query meta-type"));
    assertTrue(refusal("{\"name\":\"a.com\",\"type\":252}").startsWith("type: type 252 (AXFR) is a query meta-type"));
    assertEquals("type: type 41 (OPT) is a pseudo-record of EDNS, not a question (RFC 6891)", refusal("{\"name\":\"a.com\",\"type\":41}"));
    assertEquals("type: type 0 is reserved (RFC 6895)", refusal("{\"name\":\"a.com\",\"type\":0}"));
    assertEquals("type: type number 70000 is out of range (0 to 65535)", refusal("{\"name\":\"a.com\",\"type\":70000}"));
    assertEquals("type: expected a type name or number, got true", refusal("{\"name\":\"a.com\",\"type\":true}"));
    assertEquals("nmae: unknown field (known: name, type, wire)", refusal("{\"nmae\":\"a.com\"}"));
    assertEquals("wire: expected true or false, got yes", refusal("{\"name\":\"a.com\",\"wire\":\"yes\"}"));
    assertTrue(refusal("{\"name\":\"a.com\",\"type\":\"ADDR\",\"wire\":true}").startsWith("wire: ADDR is two questions"));
  }

  @Test
  void batchEntriesNameTheirIndex() {
    InvalidRequest invalid = assertThrows(InvalidRequest.class,
      () -> Question.parse(new JsonObject("{\"name\":\"bad name\"}"), "queries[3]."));
    assertTrue(invalid.getMessage().startsWith("queries[3].name: label \"bad name\""), invalid.getMessage());
    assertTrue(assertThrows(InvalidRequest.class, () -> Question.parse("text", "queries[0].")).getMessage()
      .startsWith("queries[0]: expected a JSON object"));
  }
}
