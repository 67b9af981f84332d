package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import org.junit.jupiter.api.Test;

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
}
