package dev.vxnet.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import dev.vxnet.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Hazelcast's configuration from {@code cluster.config_file} (conf/cluster.xml): the file holds the policy
 * (TCP-IP join only, Vert.x's maps, timeouts) and {@code ${vxnet.cluster.*}} placeholders that this class fills
 * from the validated {@link ClusterSettings}, never from raw system properties.
 */
public final class HazelcastConfig {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastConfig.class);

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
    // vxnet's log is SLF4J on Logback: a cluster.xml from before (java.util.logging) would bypass its levels and format.
    config.setProperty("hazelcast.logging.type", "slf4j");
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
    List<String> members = addresses(settings.members());
    // Hazelcast refuses an empty list; a node that only waits to be joined lists itself, which it ignores.
    if (members.isEmpty()) {
      members = List.of(settings.address().getHostAddress() + ":" + settings.hazelcastPort());
    }
    values.setProperty("vxnet.cluster.members", String.join(",", members));
    return values;
  }

  /**
   * Members as {@code ip:port}: given host names, Hazelcast 5.3 with interfaces enabled silently never contacts
   * them (seen in Docker). A name that does not resolve now (a container not started yet) is left out with a
   * warning: the node still starts, and that member can join it later.
   */
  static List<String> addresses(List<String> members) {
    List<String> addresses = new ArrayList<>();
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      String host = member.substring(0, colon);
      try {
        addresses.add(InetAddress.getByName(host).getHostAddress() + member.substring(colon));
      } catch (UnknownHostException e) {
        LOG.warn("cluster.members: " + host + " does not resolve now; left out (it can still join this node)");
      }
    }
    return addresses;
  }
}
