package dev.vxnet.fetch.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BodyEncodingTest {

  @Test
  void textualTypesAreText() {
    assertEquals(new BodyEncoding("text", "héllo"), BodyEncoding.of("text/plain; charset=utf-8", "héllo".getBytes(StandardCharsets.UTF_8)));
    assertEquals(new BodyEncoding("text", "{\"a\":1}"), BodyEncoding.of("application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(new BodyEncoding("text", "<a/>"), BodyEncoding.of("application/atom+xml", "<a/>".getBytes(StandardCharsets.UTF_8)));
    assertEquals(new BodyEncoding("text", "héllo"),
      BodyEncoding.of("text/html; charset=\"ISO-8859-1\"", "héllo".getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void anythingElseOrAnythingThatDoesNotDecodeIsBase64() {
    byte[] latin1 = "héllo".getBytes(StandardCharsets.ISO_8859_1);
    String base64 = Base64.getEncoder().encodeToString(latin1);
    assertEquals(new BodyEncoding("base64", base64), BodyEncoding.of("text/plain", latin1), "not UTF-8: no byte is replaced");
    assertEquals(new BodyEncoding("base64", base64), BodyEncoding.of("text/plain; charset=x-unknown", latin1));
    assertEquals(new BodyEncoding("base64", base64), BodyEncoding.of("image/png", latin1));
    assertEquals(new BodyEncoding("base64", base64), BodyEncoding.of(null, latin1));
  }
}
