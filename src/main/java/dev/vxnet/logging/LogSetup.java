package dev.vxnet.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The node's Logback setup. Logback starts from {@link ConsoleLogging} (console, text or JSON as
 * {@code -Dvxnet.logging.format} or {@code VXNET_LOGGING_FORMAT} say, Hazelcast at WARN); once the configuration is
 * read, {@link #apply} switches the format and sets the levels it names. A user's own {@code -Dlogback.configurationFile}
 * is left as it is but for the levels.
 */
public final class LogSetup {

  /** The logger of the access log ({@link AccessLog}). */
  public static final String ACCESS_LOGGER = "vxnet.access";

  private LogSetup() {
  }

  /**
   * What must hold before any library logs: Hazelcast logs through SLF4J (not its own java.util.logging default).
   * Call first in {@code main}.
   */
  public static void prepare() {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
  }

  /**
   * Sets Logback up again with {@code settings.format()} (unless the user named a configuration file of their own that
   * exists: {@link ConsoleLogging#userFile()}),
   * then sets each level of {@code settings.levels()}, the access logger's included.
   */
  public static void apply(LoggingSettings settings) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J provider: its own configuration rules
    }
    if (ConsoleLogging.userFile().isEmpty()) {
      context.reset();
      ConsoleLogging.configure(context, settings.format());
    }
    for (Map.Entry<String, String> level : settings.levels().entrySet()) {
      context.getLogger(level.getKey()).setLevel(Level.toLevel(level.getValue()));
    }
  }

  /**
   * Writes out every record still queued in the console's asynchronous appender (waiting up to its flush time, 1 s),
   * then stops logging. Call right before {@code System.exit} or {@code Runtime.halt}: the queue is not drained by
   * either, so the last lines (a signal received, "stopped in") would be lost.
   */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }
}
