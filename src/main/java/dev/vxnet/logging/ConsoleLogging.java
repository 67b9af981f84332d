package dev.vxnet.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import ch.qos.logback.core.util.ContextUtil;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashCommonFieldNames;
import org.slf4j.Logger;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;

/**
 * vxnet's Logback configuration, in code: one console, text or JSON lines, behind an asynchronous appender. Logback
 * finds it through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator} (Logback manual, "Configuration",
 * custom configurators first) and runs it instead of reading an XML file: Joran's XML pass took about 230 ms of CPU of
 * each start (docs/profiles.md). A {@code -Dlogback.configurationFile} of the user's own that exists is left to
 * Logback's Joran; one that does not is a WARN line, and this configuration. Being first, it also takes the place of
 * a {@code logback.xml} or {@code logback-test.xml} on the class path: name such a file with the property.
 *
 * <p>The format at start comes from {@code -Dvxnet.logging.format}, else {@code VXNET_LOGGING_FORMAT}, else text, so
 * that even the first lines of a JSON node are JSON; a value that is neither {@code text} nor {@code json} starts as
 * text, and the configuration check then stops the start naming the key ({@code logging.format}).
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

  /** Logback's own property naming a configuration file of the user's ({@code ClassicConstants.CONFIG_FILE_PROPERTY}). */
  static final String FILE_PROPERTY = "logback.configurationFile";
  /** The system property that picks the format before the configuration is read ({@code text} or {@code json}). */
  static final String FORMAT_PROPERTY = "vxnet.logging.format";
  /** The environment variable that picks it when the property is not set. */
  static final String FORMAT_VARIABLE = "VXNET_LOGGING_FORMAT";
  /** The text line: time, level, the logger's simple name, the message. */
  static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%logger{0}] %msg%n";
  /** Records the asynchronous appender holds for its console; a full queue blocks the caller rather than lose lines. */
  static final int QUEUE_SIZE = 8192;
  /**
   * Levels below INFO for other libraries' chatter. Hazelcast's INFO is its logo, Jet's instructions and membership
   * tables (vxnet logs membership itself); "CP Subsystem is not enabled" is about a subsystem vxnet does not use;
   * vertx-micrometer-metrics registers a gauge again for each handler of an address, which Micrometer ignores by design
   * but reports once as a warning; the legacy launcher's deployer logs a failed start with its stack trace before
   * vxnet's one-line message.
   */
  static final Map<String, Level> LIBRARY_LEVELS = Map.of(
    "com.hazelcast", Level.WARN,
    "com.hazelcast.cp.CPSubsystem", Level.ERROR,
    "io.micrometer.core.instrument.MeterRegistry", Level.ERROR,
    "io.vertx.core.impl.launcher.commands.VertxIsolatedDeployer", Level.OFF);

  /** Called by Logback's {@code ContextInitializer} on the first logger lookup. */
  public ConsoleLogging() {
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (userFile().isPresent()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file, read by Logback's Joran configurator
    }
    configure(context, startFormat());
    String named = System.getProperty(FILE_PROPERTY);
    if (named != null) {
      // Logback alone would fall back to its DEBUG-everything basic configuration here
      context.getLogger(ConsoleLogging.class).warn("logging: -D{}={}: no such URL, class-path resource or file; "
        + "logging as vxnet's own configuration says", FILE_PROPERTY, named);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * The Logback configuration file the user named with {@code -Dlogback.configurationFile}, found as Logback's
   * {@code DefaultJoranConfigurator} looks for it (a URL, else a class-path resource, else a file) and, for a
   * {@code file:} URL, only when that file exists; empty when none was named or it is not there.
   */
  static Optional<URL> userFile() {
    String named = System.getProperty(FILE_PROPERTY);
    if (named == null) {
      return Optional.empty();
    }
    try {
      URL url = new URL(named);
      return url.getProtocol().equals("file") && !new File(url.getPath()).isFile() ? Optional.empty() : Optional.of(url);
    } catch (MalformedURLException notAUrl) {
      URL resource = ConsoleLogging.class.getClassLoader().getResource(named);
      if (resource != null) {
        return Optional.of(resource);
      }
      File file = new File(named);
      try {
        return file.isFile() ? Optional.of(file.toURI().toURL()) : Optional.empty();
      } catch (MalformedURLException e) {
        return Optional.empty();
      }
    }
  }

  /** The format before the configuration is read: the property, else the environment variable, else text. */
  static String startFormat() {
    String format = System.getProperty(FORMAT_PROPERTY);
    if (format == null) {
      format = System.getenv(FORMAT_VARIABLE);
    }
    return "json".equals(format) ? "json" : "text";
  }

  /**
   * Sets {@code context} up from nothing (call {@link LoggerContext#reset()} first when it was set up before): no
   * status lines on the console, a shutdown hook that stops (and so flushes) the appenders when the JVM exits, the
   * console in {@code format} behind the asynchronous appender, root at INFO and {@link #LIBRARY_LEVELS}.
   *
   * @param format {@code json} for one JSON object per line (logstash-logback-encoder), anything else for text
   */
  static void configure(LoggerContext context, String format) {
    context.getStatusManager().add(new NopStatusListener());

    DefaultShutdownHook hook = new DefaultShutdownHook();
    hook.setContext(context);
    new ContextUtil(context).addOrReplaceShutdownHook(hook);

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(format.equals("json") ? "json" : "text");
    console.setEncoder(format.equals("json") ? jsonEncoder(context) : textEncoder(context));
    console.start();

    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("console");
    async.setQueueSize(QUEUE_SIZE);
    async.setDiscardingThreshold(0);
    async.addAppender(console);
    async.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
    LIBRARY_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }

  private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(context);
    encoder.setIncludeContext(false); // the context's properties would repeat on every line
    // @version and the numeric level say nothing a reader needs
    encoder.getFieldNames().setVersion(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    encoder.getFieldNames().setLevelValue(LogstashCommonFieldNames.IGNORE_FIELD_INDICATOR);
    encoder.start();
    return encoder;
  }
}
