package dev.vxnet.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrefixedVariablesStoreTest {

  @Test
  void environmentNamesBecomeSectionAndKey() {
    JsonObject sections = PrefixedVariablesStore.toSections(Map.of(
      "VXNET_TCP_PORT", "9000",
      "VXNET_TCP_MAX_CONNECTIONS", "5",
      "VXNET_DNS_UPSTREAMS", "127.0.0.1:5353,127.0.0.2:53",
      "HOME", "/root",
      "VXNET_", "ignored"), "VXNET_", "_");
    assertEquals(new JsonObject()
      .put("tcp", new JsonObject().put("port", "9000").put("max_connections", "5"))
      .put("dns", new JsonObject().put("upstreams", "127.0.0.1:5353,127.0.0.2:53")), sections);
  }

  @Test
  void systemPropertiesUseDots() {
    JsonObject sections = PrefixedVariablesStore.toSections(Map.of(
      "vxnet.tcp.port", "9001", "vxnet.chat.max_line_bytes", "64", "vertx.cwd", "/"), "vxnet.", ".");
    assertEquals(new JsonObject()
      .put("tcp", new JsonObject().put("port", "9001"))
      .put("chat", new JsonObject().put("max_line_bytes", "64")), sections);
  }

  @Test
  void aNameWithoutKeyBecomesAnUnknownSection() {
    assertEquals(new JsonObject().put("bogus", "1"), PrefixedVariablesStore.toSections(Map.of("VXNET_BOGUS", "1"), "VXNET_", "_"));
  }
}
