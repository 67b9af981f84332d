package dev.vxnet;

import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the launcher's command line and the configuration chain decide the cluster settings before Vert.x starts. */
class ClusterLaunchTest {

  private static ClusterSettings settings(String... args) {
    return VxnetLauncher.settings(List.of(args), LaunchArguments.runsMainVerticle(List.of(args), MainVerticle.class.getName()))
      .get(ClusterSettings.SECTION);
  }

  @Test
  void clusteringIsOffByDefault() {
    assertFalse(settings().enabled());
    assertFalse(settings("run", "dev.vxnet.MainVerticle", "-instances", "2").enabled());
  }

  @Test
  void theClusterFlagOrTheConfigurationTurnsItOn() {
    assertTrue(settings("-cluster").enabled());
    assertTrue(settings("--cluster").enabled());
    assertTrue(settings("-conf", "{\"cluster\":{\"enabled\":true}}").enabled());
    assertTrue(settings("bare").enabled());
  }

  @Test
  void launcherFlagsWinOverTheConfiguration() {
    ClusterSettings settings = settings("-cluster", "-cluster-host", "127.0.0.1", "--cluster-port=7100", "-cluster-public-host=edge1.example",
      "-conf", "{\"cluster\":{\"host\":\"localhost\",\"port\":7000,\"public_host\":\"old.example\",\"hazelcast_port\":5750}}");
    assertEquals("127.0.0.1", settings.host());
    assertEquals(7100, settings.port());
    assertEquals("edge1.example", settings.announcedHost());
    assertEquals(5750, settings.hazelcastPort());
  }

  @Test
  void confOfAnotherVerticleIsNotVxnetsConfiguration() {
    assertFalse(settings("run", "dev.vxnet.tcp.TcpEchoVerticle", "-conf", "{\"cluster\":{\"enabled\":true}}").enabled());
  }

  @Test
  void aBadValueFromTheCommandLineIsNamedLikeAConfigurationKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> settings("-cluster", "-cluster-port", "many"));
    assertEquals(List.of("cluster.port: expected an integer from 0 to 65535, got \"many\""), e.problems());
  }

  @Test
  void aClusterSectionThatIsNotAnObjectIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> settings("-conf", "{\"cluster\":true}"));
    assertEquals("cluster: expected an object of keys, got true", e.getMessage());
  }
}
