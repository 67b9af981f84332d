package dev.vxnet;

import io.vertx.core.impl.launcher.commands.VersionCommand;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * vxnet's version: the Maven project version, written into {@code dev/vxnet/version.properties} when the resources are
 * filtered at build time (pom.xml). Classes run without that build step (an IDE) say {@code unknown}.
 */
final class Version {

  static final String VXNET = load();

  private Version() {
  }

  /** {@code vxnet 0.1.0 (Vert.x 5.0.7, Java 17.0.13)}, for {@code version} and the first line of the start log. */
  static String describe() {
    return "vxnet " + VXNET + " (Vert.x " + VersionCommand.getVersion() + ", Java " + Runtime.version() + ")";
  }

  private static String load() {
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "unknown");
      return version.startsWith("${") ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
