package dev.vxnet.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of the web error answers: JSON or HTML, codes, escaping. */
class ErrorResponsesTest {

  @Test
  void jsonOrHtmlErrors() {
    assertTrue(ErrorResponses.wantsJson("/api/x", null));
    assertTrue(ErrorResponses.wantsJson("/api", "text/html"));
    assertFalse(ErrorResponses.wantsJson("/apiary", null));
    assertFalse(ErrorResponses.wantsJson("/x", "*/*"));
    assertFalse(ErrorResponses.wantsJson("/x", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    assertTrue(ErrorResponses.wantsJson("/x", "application/json"));
    assertTrue(ErrorResponses.wantsJson("/x", "application/problem+json, text/html;q=0.5"));
    assertFalse(ErrorResponses.wantsJson("/x", "application/json;q=0.5, text/html"));
    assertFalse(ErrorResponses.wantsJson("/x", "application/json;q=0"));
    assertEquals("NOT_FOUND", ErrorResponses.code(404));
    assertEquals("REQUEST_ENTITY_TOO_LARGE", ErrorResponses.code(413));
    assertEquals("&lt;b&gt; &amp; &quot;", ErrorResponses.escape("<b> & \""));
  }
}
