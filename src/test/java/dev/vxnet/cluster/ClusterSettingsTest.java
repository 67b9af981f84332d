package dev.vxnet.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import dev.vxnet.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClusterSettingsTest {

  private static ClusterSettings settings(JsonObject given) {
    return ClusterSettings.SECTION.read(given);
  }

  @Test
  void membersWithoutAPortGetThisNodesHazelcastPort() {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("hazelcast_port", 5800)
      .put("members", new JsonArray().add("edge1").add(" 10.0.0.3:5701 ")));
    assertEquals(List.of("edge1:5800", "10.0.0.3:5701"), settings.members());
    assertEquals("127.0.0.1", settings.address().getHostAddress());
    assertEquals("127.0.0.1", settings.announcedHost());
  }

  @Test
  void environmentStyleCommaSeparatedMembersAreAList() {
    ClusterSettings settings = settings(new JsonObject().put("members", "10.0.0.2, 10.0.0.3:5702"));
    assertEquals(List.of("10.0.0.2:5701", "10.0.0.3:5702"), settings.members());
  }

  @Test
  void everyBadValueIsNamedWithItsKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> settings(new JsonObject().put("enabled", true)
      .put("host", "0.0.0.0").put("members", new JsonArray().add("a:5701-5703").add("b:70000"))));
    assertEquals(List.of(
      "cluster.members: expected host or host:port (port 1-65535, no ranges), got \"a:5701-5703\"",
      "cluster.members: expected host or host:port (port 1-65535, no ranges), got \"b:70000\"",
      "cluster.host: 0.0.0.0 is a wildcard; give the one address of this machine the other nodes reach"), e.problems());
  }

  @Test
  void aHostThatIsNotOnThisMachineIsRefused() {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a real interface; no packet is sent to check it.
    ConfigException e = assertThrows(ConfigException.class,
      () -> settings(new JsonObject().put("enabled", true).put("host", "192.0.2.7")));
    assertEquals(List.of("cluster.host: 192.0.2.7 is not an address of this machine"), e.problems());
  }

  @Test
  void aDisabledClusterDoesNotResolveItsHost() {
    ClusterSettings settings = settings(new JsonObject().put("host", "192.0.2.7"));
    assertFalse(settings.enabled());
    assertNull(settings.address());
  }

  @Test
  void theHazelcastConfigurationJoinsByTcpIpOnlyOnTheClusterHost() {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("hazelcast_port", 5900).put("name", "test")
      .put("members", new JsonArray().add("127.0.0.1:5901")).put("public_host", "203.0.113.9"));
    Config config = HazelcastConfig.load(settings);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5901"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(5900, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals("203.0.113.9:5900", config.getNetworkConfig().getPublicAddress());
    assertEquals("test", config.getClusterName());
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals(1, config.getMultiMapConfig("__vertx.subs").getBackupCount());
  }

  @Test
  void onLoopbackWithNoMembersANodeLooksForTheOtherNodesOfThisMachine() {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("hazelcast_port", 5801));
    assertEquals(ClusterSettings.LOCAL_NODES, settings.members().size());
    assertEquals("127.0.0.1:5801", settings.members().get(0));
    assertEquals("127.0.0.1:5810", settings.members().get(ClusterSettings.LOCAL_NODES - 1));
    Config config = HazelcastConfig.load(settings);
    assertEquals(settings.members(), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals(5801, config.getNetworkConfig().getPort());
  }

  @Test
  void givenMembersAreTakenAsTheyAre() {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("members", new JsonArray().add("127.0.0.1:5801")));
    assertEquals(List.of("127.0.0.1:5801"), settings.members());
  }

  @Test
  void aNodeWithNoMembersOffLoopbackListsItselfBecauseHazelcastNeedsOne() throws Exception {
    InetAddress own = nonLoopbackAddress();
    assumeTrue(own != null, "this machine has no IPv4 address but loopback");
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("host", own.getHostAddress()));
    assertEquals(List.of(), settings.members());
    Config config = HazelcastConfig.load(settings);
    assertEquals(List.of(own.getHostAddress() + ":5701"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  private static InetAddress nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return address;
        }
      }
    }
    return null;
  }

  @Test
  void withoutAConfigFileTheWorkingDirectorysOrTheJarsCopyIsUsed() throws Exception {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true).put("name", "from-default"));
    // The tests run in the project directory, which has conf/cluster.xml; the jar's copy is the same file.
    assertTrue(Files.isRegularFile(HazelcastConfig.WORKING_DIRECTORY_FILE));
    assertEquals("from-default", HazelcastConfig.load(settings).getClusterName());
    try (InputStream builtIn = HazelcastConfig.class.getResourceAsStream("/dev/vxnet/cluster/cluster.xml")) {
      assertNotNull(builtIn, "conf/cluster.xml is built into the jar (pom.xml resources)");
      assertArrayEquals(Files.readAllBytes(HazelcastConfig.WORKING_DIRECTORY_FILE), builtIn.readAllBytes());
    }
  }

  @Test
  void vertxsPropertyNamesTheFileWhenTheConfigurationDoesNot() {
    ClusterSettings settings = settings(new JsonObject().put("enabled", true));
    System.setProperty(HazelcastConfig.VERTX_PROPERTY, "conf/nope.xml");
    try {
      ConfigException e = assertThrows(ConfigException.class, () -> HazelcastConfig.load(settings));
      assertTrue(e.getMessage().startsWith("-Dvertx.hazelcast.config: ") && e.getMessage().endsWith("nope.xml is not a readable file"),
        e.getMessage());
      System.setProperty(HazelcastConfig.VERTX_PROPERTY, "classpath:dev/vxnet/cluster/cluster.xml");
      assertEquals(5701, HazelcastConfig.load(settings).getNetworkConfig().getPort());
    } finally {
      System.clearProperty(HazelcastConfig.VERTX_PROPERTY);
    }
  }

  @Test
  void memberNamesReachHazelcastAsAddresses() {
    // "localhost" resolves from /etc/hosts: no DNS query leaves the machine.
    assertEquals(List.of("127.0.0.1:5701", "10.0.0.3:5702"), HazelcastConfig.addresses(List.of("localhost:5701", "10.0.0.3:5702")));
  }

  @Test
  void aMissingConfigurationFileIsNamed() {
    ConfigException e = assertThrows(ConfigException.class,
      () -> HazelcastConfig.load(settings(new JsonObject().put("enabled", true).put("config_file", "conf/nope.xml"))));
    assertTrue(e.getMessage().startsWith("cluster.config_file: "), e.getMessage());
    assertTrue(e.getMessage().contains("nope.xml is not a readable file"), e.getMessage());
  }
}
