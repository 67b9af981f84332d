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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Hazelcast's configuration (conf/cluster.xml, or the file {@link #load} finds): the file holds the policy
 * (TCP-IP join only, Vert.x's maps, timeouts) and {@code ${vxnet.cluster.*}} placeholders that this class fills
 * from the validated {@link ClusterSettings}, never from raw system properties.
 */
public final class HazelcastConfig {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastConfig.class);

  private HazelcastConfig() {
  }

  /** Vert.x's property naming a Hazelcast configuration: a file, or {@code classpath:NAME}. */
  static final String VERTX_PROPERTY = "vertx.hazelcast.config";
  /** The configuration in the working directory, as in a checkout of vxnet. */
  static final Path WORKING_DIRECTORY_FILE = Path.of("conf", "cluster.xml");
  /** conf/cluster.xml as built into the jar (pom.xml), for a node started from any directory. */
  private static final String BUILT_IN = "/dev/vxnet/cluster/cluster.xml";

  /**
   * The Hazelcast configuration, from the first of: {@code cluster.config_file}, the file (or {@code classpath:}
   * resource) of {@code -Dvertx.hazelcast.config}, {@code conf/cluster.xml} in the working directory, the copy in the
   * jar; with its placeholders filled.
   *
   * @throws ConfigException naming {@code cluster.config_file} (or the property) when the chosen file is missing or
   *                         not a Hazelcast configuration
   */
  public static Config load(ClusterSettings settings) {
    Source source = source(settings);
    Config config;
    try (InputStream in = source.open()) {
      config = new XmlConfigBuilder(in).setProperties(placeholders(settings)).build();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(source.key() + ": " + source.origin() + ": not a usable Hazelcast configuration: "
        + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName()));
    }
    // vxnet's log is SLF4J on Logback: a cluster.xml from before (java.util.logging) would bypass its levels and format.
    config.setProperty("hazelcast.logging.type", "slf4j");
    LOG.info("cluster: Hazelcast configuration from {}", source.origin());
    if (settings.publicHost() != null) {
      config.getNetworkConfig().setPublicAddress(settings.publicHost() + ":" + settings.hazelcastPort());
    }
    return config;
  }

  /** Where the XML is read from, the key that chose it (for messages), and how to open it. */
  private record Source(String key, String origin, Opener opener) {
    InputStream open() throws IOException {
      return opener.open();
    }
  }

  @FunctionalInterface
  private interface Opener {
    InputStream open() throws IOException;
  }

  private static Source source(ClusterSettings settings) {
    if (settings.configFile() != null) {
      return file("cluster.config_file", settings.configFile());
    }
    String property = System.getProperty(VERTX_PROPERTY);
    if (property != null && property.startsWith("classpath:")) {
      String name = property.substring("classpath:".length());
      return new Source("-D" + VERTX_PROPERTY, property, () -> {
        InputStream in = HazelcastConfig.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
          throw new IOException("no such resource on the classpath");
        }
        return in;
      });
    }
    if (property != null) {
      return file("-D" + VERTX_PROPERTY, Path.of(property));
    }
    if (Files.isRegularFile(WORKING_DIRECTORY_FILE)) {
      return file("cluster.config_file", WORKING_DIRECTORY_FILE);
    }
    return new Source("cluster.config_file", "the copy of conf/cluster.xml built into the jar (no "
      + WORKING_DIRECTORY_FILE + " in " + Path.of("").toAbsolutePath() + ")",
      () -> HazelcastConfig.class.getResourceAsStream(BUILT_IN));
  }

  private static Source file(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(key + ": " + file.toAbsolutePath() + " is not a readable file");
    }
    return new Source(key, file.toString(), () -> Files.newInputStream(file));
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
