package dev.vxnet.https;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EchoKnobsTest {

  private static EchoKnobs knobs(MultiMap query, MultiMap headers) throws EchoKnobs.BadKnob {
    return EchoKnobs.from(query, headers, 1_000);
  }

  @Test
  void defaultsAndValues() throws Exception {
    assertEquals(new EchoKnobs(200, 0), knobs(MultiMap.caseInsensitiveMultiMap(), MultiMap.caseInsensitiveMultiMap()));
    assertEquals(new EchoKnobs(404, 250), knobs(MultiMap.caseInsensitiveMultiMap().add("status", "404").add("delay_ms", "250"),
      MultiMap.caseInsensitiveMultiMap()));
    assertEquals(new EchoKnobs(599, 1_000), knobs(MultiMap.caseInsensitiveMultiMap(),
      MultiMap.caseInsensitiveMultiMap().add("X-Set-Response-Status-Code", " 599 ").add("x-set-response-delay-ms", "1000")));
  }

  @Test
  void theQueryWinsOverTheHeader() throws Exception {
    assertEquals(201, knobs(MultiMap.caseInsensitiveMultiMap().add("status", "201"),
      MultiMap.caseInsensitiveMultiMap().add("x-set-response-status-code", "500")).status());
  }

  @Test
  void badValuesNameTheirSource() {
    String[][] cases = {
      {"status", "199", "query parameter status: expected an integer from 200 to 599, got 199"},
      {"status", "600", "query parameter status: expected an integer from 200 to 599, got 600"},
      {"status", "2e2", "query parameter status: expected an integer from 200 to 599, got \"2e2\""},
      {"delay_ms", "1001", "query parameter delay_ms: expected an integer from 0 to 1000, got 1001"},
      {"delay_ms", "", "query parameter delay_ms: expected an integer from 0 to 1000, got \"\""},
    };
    for (String[] c : cases) {
      EchoKnobs.BadKnob bad = assertThrows(EchoKnobs.BadKnob.class,
        () -> knobs(MultiMap.caseInsensitiveMultiMap().add(c[0], c[1]), MultiMap.caseInsensitiveMultiMap()));
      assertEquals(c[2], bad.getMessage());
    }
    EchoKnobs.BadKnob twice = assertThrows(EchoKnobs.BadKnob.class,
      () -> knobs(MultiMap.caseInsensitiveMultiMap().add("status", "200").add("status", "500"), MultiMap.caseInsensitiveMultiMap()));
    assertEquals("query parameter status: given 2 times, expected once", twice.getMessage());
    EchoKnobs.BadKnob header = assertThrows(EchoKnobs.BadKnob.class,
      () -> knobs(MultiMap.caseInsensitiveMultiMap(), MultiMap.caseInsensitiveMultiMap().add("x-set-response-delay-ms", "-5")));
    assertEquals("header x-set-response-delay-ms: expected an integer from 0 to 1000, got -5", header.getMessage());
  }
}
