package dev.vxnet.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import dev.vxnet.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Properties;

/**
 * Hazelcast's configuration from {@code cluster.config_file} (conf/cluster.xml): the file holds the policy
 * (TCP-IP join only, Vert.x's maps, timeouts) and {@code ${vxnet.cluster.*}} placeholders that this class fills
 * from the validated {@link ClusterSettings}, never from raw system properties.
 */
public final class HazelcastConfig {

  private HazelcastConfig() {
  }

  public static Config load(ClusterSettings settings) {
    if (!Files.isRegularFile(settings.configFile())) {
      throw new ConfigException("cluster.config_file: " + settings.configFile().toAbsolutePath()
        + " is not a readable file (run from the vxnet directory, or set cluster.config_file)");
    }
    Config config;
    try (InputStream in = Files.newInputStream(settings.configFile())) {
      config = new XmlConfigBuilder(in).setProperties(placeholders(settings)).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cluster.config_file: " + settings.configFile() + ": not a usable Hazelcast configuration: "
        + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
    }
    if (settings.publicHost() != null) {
      config.getNetworkConfig().setPublicAddress(settings.publicHost() + ":" + settings.hazelcastPort());
    }
    return config;
  }

  static Properties placeholders(ClusterSettings settings) {
    Properties values = new Properties();
    values.setProperty("vxnet.cluster.name", settings.name());
    values.setProperty("vxnet.cluster.host", settings.address().getHostAddress());
    values.setProperty("vxnet.cluster.hazelcast_port", String.valueOf(settings.hazelcastPort()));
    // Hazelcast refuses an empty list; a node that only waits to be joined lists itself, which it ignores.
    List<String> members = settings.members().isEmpty()
      ? List.of(settings.address().getHostAddress() + ":" + settings.hazelcastPort())
      : settings.members();
    values.setProperty("vxnet.cluster.members", String.join(",", members));
    return values;
  }
}
