package dev.vxnet.config;

import dev.vxnet.NodeSettings;
import dev.vxnet.Services;
import dev.vxnet.chat.ChatSettings;
import dev.vxnet.tcp.TcpSettings;
import dev.vxnet.udp.UdpSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchemaTest {

  private final Schema schema = Services.schema();

  private List<String> problems(String json) {
    return assertThrows(ConfigException.class, () -> schema.validate(new JsonObject(json))).problems();
  }

  @Test
  void emptyConfigGivesEveryDefault() {
    Settings config = schema.validate(new JsonObject());
    assertEquals(8888, config.get(TcpSettings.SECTION).port());
    assertEquals(9999, config.get(UdpSettings.SECTION).port());
    assertEquals(8000, config.get(ChatSettings.SECTION).port());
    assertEquals(1, config.get(NodeSettings.SECTION).instances());
    assertEquals(true, config.deployment(TcpSettings.SECTION).enabled());
    for (Section<?> section : schema.sections()) {
      assertTrue(config.get(section) != null, section.name());
    }
  }

  @Test
  void portOutOfRangeNamesKeyValueAndRange() {
    assertEquals(List.of("tcp.port: expected an integer from 0 to 65535, got 70000"), problems("{\"tcp\":{\"port\":70000}}"));
  }

  @Test
  void wrongTypeNamesKey() {
    assertEquals(List.of("udp.max_datagram_bytes: expected an integer from 1 to 65507, got \"big\""),
      problems("{\"udp\":{\"max_datagram_bytes\":\"big\"}}"));
    assertEquals(List.of("tcp.tcp_no_delay: expected true or false, got \"yes\""), problems("{\"tcp\":{\"tcp_no_delay\":\"yes\"}}"));
  }

  @Test
  void negativeLimitIsRefused() {
    assertEquals(List.of("tcp.max_connections: expected an integer from 0 to 2147483647, got -1"),
      problems("{\"tcp\":{\"max_connections\":-1}}"));
  }

  @Test
  void unknownSectionAndKeyAreNamed() {
    List<String> problems = problems("{\"tpc\":{\"port\":1},\"chat\":{\"prot\":1}}");
    assertEquals(2, problems.size());
    assertTrue(problems.get(0).startsWith("tpc: unknown section (known: node, cluster, tcp, udp, chat"), problems.get(0));
    assertTrue(problems.get(1).startsWith("chat.prot: unknown key (known: enabled, host, port, instances"), problems.get(1));
  }

  @Test
  void sectionMustBeAnObject() {
    assertEquals(List.of("tcp: expected an object of keys, got 8888"), problems("{\"tcp\":8888}"));
  }

  @Test
  void patternKeysAreChecked() {
    List<String> problems = problems("{\"chat\":{\"default_room\":\"Bad Room\"}}");
    assertEquals(List.of("chat.default_room: expected a string matching [a-z0-9_-]{1,32}, got \"Bad Room\""), problems);
  }

  @Test
  void stringsAreTypedLikeTheEnvironment() {
    Settings config = schema.validate(new JsonObject("{\"tcp\":{\"port\":\"9000\",\"tcp_no_delay\":\"false\"}}"));
    assertEquals(9000, config.get(TcpSettings.SECTION).port());
    assertEquals(false, config.get(TcpSettings.SECTION).tcpNoDelay());
  }

  @Test
  void listKeysSplitCommaSeparatedStrings() {
    Key key = Key.list("upstreams", List.of(), "doc");
    assertEquals(new JsonArray().add("127.0.0.1:5353").add("127.0.0.2:53"), key.normalise("127.0.0.1:5353, 127.0.0.2:53"));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertEquals(3, problems("{\"tcp\":{\"port\":-1,\"instances\":0},\"udp\":{\"port\":\"x\"}}").size());
  }
}
