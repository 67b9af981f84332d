package dev.vxnet;

import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per log record, unless the user configured java.util.logging themselves. */
final class Logging {

  /**
   * The legacy launcher's deployer logs every failed start with the exception, before vxnet's own one-line
   * message; vxnet logs both outcomes itself. Held here because JUL keeps loggers only weakly.
   */
  private static final Logger DEPLOYER = Logger.getLogger("io.vertx.core.impl.launcher.commands.VertxIsolatedDeployer");

  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") == null
      && System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
      DEPLOYER.setLevel(Level.OFF);
    }
  }
}
