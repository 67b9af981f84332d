package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the web error answers: JSON or HTML, codes, escaping. */
class ResponsesTest {

  @Test
  void jsonOrHtmlErrors() {
    assertTrue(Responses.wantsJson("/api/x", null));
    assertTrue(Responses.wantsJson("/api", "text/html"));
    assertFalse(Responses.wantsJson("/apiary", null));
    assertFalse(Responses.wantsJson("/x", "*/*"));
    assertFalse(Responses.wantsJson("/x", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assertTrue(Responses.wantsJson("/x", "application/json"));
    assertTrue(Responses.wantsJson("/x", "application/problem+json, text/html;q=0.5"));
    assertFalse(Responses.wantsJson("/x", "application/json;q=0.5, text/html"));
    assertFalse(Responses.wantsJson("/x", "application/json;q=0"));
    assertEquals("NOT_FOUND", ErrorCode.ofHttpStatus(404).name());
    assertEquals("REQUEST_ENTITY_TOO_LARGE", ErrorCode.ofHttpStatus(413).name());
    assertEquals("&lt;b&gt; &amp; &quot;", Responses.escape("<b> & \""));
  }

  /**
   * prettyJson's bytes are encodePrettily's text and a line feed as String.getBytes(UTF_8) encodes them, for every
   * kind of character: 1- to 4-byte ones, escaped control characters, and unpaired surrogates (which a JSON body can
   * carry as {@code "\uD800"} escapes). A guard for any other way of writing the answer.
   */
  @ParameterizedTest
  @ValueSource(strings = {"plain ascii", "caf\u00e9 \u20ac \u4e2d", "emoji \uD83D\uDE00 and \uD83C\uDDEB\uD83C\uDDF7",
    "ctl \u0001 \u001f \u007f \u2028 \"q\" \\ /", "lone high \uD800 then text", "lone high before \u00e9: \uD800\u00e9",
    "lone low \uDC00 here", "high high low \uD800\uD83D\uDE00", "ends high \uD800", "\uDBFF",
    "low high \uDC00\uD800 x"})
  void prettyJsonIsEncodePrettilyInUtf8(String text) {
    JsonObject json = new JsonObject().put("text", text).put("list", new JsonArray().add(text).add(1).add(true))
      .put("nested", new JsonObject().put(text, (Object) null));
    assertArrayEquals((json.encodePrettily() + "\n").getBytes(StandardCharsets.UTF_8),
      Responses.prettyJson(json).getBytes());
  }

  /** The bytes themselves, worked out by hand from RFC 3629 and RFC 8259 section 7, not by the JDK or Jackson. */
  @Test
  void prettyJsonWritesUtf8AndEscapesAsDocumented() {
    JsonObject json = new JsonObject().put("t", "\uD83D\uDE00\u00e9\u20ac\u0001\"\uD800");
    assertArrayEquals(bytes("{\n  \"t\" : \"", 0xF0, 0x9F, 0x98, 0x80, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, "\\u0001\\\"?",
      "\"\n}\n"), Responses.prettyJson(json).getBytes());
    assertArrayEquals(bytes("[ 1, \"?x\" ]\n"), Responses.prettyJson(new JsonArray().add(1).add("\uDC00x")).getBytes());
  }

  /** Text as ASCII bytes, numbers as the bytes they are. */
  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Integer b) {
        out.write(b);
      } else {
        out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toByteArray();
  }
}
