package dev.vxnet;

import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Settings;
import dev.vxnet.https.HttpSettings;
import dev.vxnet.https.HttpsSettings;
import dev.vxnet.tcp.TcpSettings;
import dev.vxnet.udp.UdpSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** node.port_offset: one key moves every port a node listens on, so that a second node fits on one machine. */
class PortOffsetTest {

  /** Ports that name another server's port, not one this node binds. */
  private static final Set<String> NOT_LISTENING = Set.of("http.redirect_port");

  private static Settings validate(JsonObject config) {
    return Services.schema().validate(config);
  }

  @Test
  void everyKeyNamingAPortThisNodeBindsIsShiftedByTheOffset() {
    List<String> plainIntegers = new ArrayList<>();
    for (Section<?> section : Services.schema().sections()) {
      for (Key key : section.keys()) {
        String name = section.name() + "." + key.name();
        if ((key.name().equals("port") || key.name().endsWith("_port")) && key.type() != Key.Type.PORT && !NOT_LISTENING.contains(name)) {
          plainIntegers.add(name);
        }
      }
    }
    assertEquals(List.of(), plainIntegers, "declare listening ports with Key.port (or list a port of another server here)");
  }

  @Test
  void theOffsetMovesEveryListenerOfTheSecondNode() {
    Settings second = validate(new JsonObject().put("node", new JsonObject().put("port_offset", 1)));
    assertEquals(8889, second.get(TcpSettings.SECTION).port());
    assertEquals(10000, second.get(UdpSettings.SECTION).port());
    assertEquals(8444, second.get(HttpsSettings.SECTION).port());
    assertEquals(8081, second.get(HttpSettings.SECTION).port());
    assertEquals(8444, second.get(HttpSettings.SECTION).redirectPort(), "plain HTTP redirects to this node's HTTPS port");
    assertEquals(5702, second.get(ClusterSettings.SECTION).hazelcastPort());
    assertEquals(0, second.get(ClusterSettings.SECTION).port(), "0, any free port, stays 0");
    assertEquals(1, second.get(NodeSettings.SECTION).portOffset());
  }

  @Test
  void explicitPortsAndTheEnvironmentsStringsAreShiftedToo() {
    Settings settings = validate(new JsonObject()
      .put("node", new JsonObject().put("port_offset", "100"))
      .put("tcp", new JsonObject().put("port", "9000"))
      .put("udp", new JsonObject().put("port", 0))
      .put("http", new JsonObject().put("redirect_port", 443)));
    assertEquals(9100, settings.get(TcpSettings.SECTION).port());
    assertEquals(0, settings.get(UdpSettings.SECTION).port());
    assertEquals(443, settings.get(HttpSettings.SECTION).redirectPort(), "another server's port is not moved");
  }

  @Test
  void aPortShiftedBeyond65535IsNamedWithTheOffset() {
    ConfigException e = assertThrows(ConfigException.class, () -> validate(new JsonObject()
      .put("node", new JsonObject().put("port_offset", 10_000))
      .put("tcp", new JsonObject().put("port", 60_000))));
    assertEquals(List.of("tcp.port: 60000 + node.port_offset 10000 = 70000 is beyond 65535"), e.problems());
  }

  @Test
  void aBadOffsetIsReportedOnceAndMovesNothing() {
    ConfigException e = assertThrows(ConfigException.class,
      () -> validate(new JsonObject().put("node", new JsonObject().put("port_offset", -1))));
    assertEquals(List.of("node.port_offset: expected an integer from 0 to 10000, got -1"), e.problems());
  }

  @Test
  void onLoopbackTheSecondNodeLooksForTheFirstAtTheUnshiftedHazelcastPort() {
    ClusterSettings second = validate(new JsonObject()
      .put("node", new JsonObject().put("port_offset", 3))
      .put("cluster", new JsonObject().put("enabled", true))).get(ClusterSettings.SECTION);
    assertEquals(5704, second.hazelcastPort());
    assertTrue(second.members().contains("127.0.0.1:5701"), second.members().toString());
    assertTrue(second.members().contains("127.0.0.1:5710"), second.members().toString());
  }
}
