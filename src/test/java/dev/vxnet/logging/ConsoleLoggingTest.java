package dev.vxnet.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Logback configuration in code: what logback.xml said before, on a context of the test's own. */
class ConsoleLoggingTest {

  private final LoggerContext context = new LoggerContext();

  @BeforeEach
  void mdc() {
    context.setMDCAdapter(new LogbackMDCAdapter()); // what SLF4J's provider gives the context it creates
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void textIsOneReadableLineBehindTheAsynchronousAppender() {
    ConsoleLogging.configure(context, "text");
    ConsoleAppender<ILoggingEvent> console = console();
    assertEquals("text", console.getName());
    PatternLayoutEncoder encoder = assertInstanceOf(PatternLayoutEncoder.class, console.getEncoder());
    assertEquals(ConsoleLogging.PATTERN, encoder.getPattern());
    String line = encode(console.getEncoder(), "tcp: listening on 127.0.0.1:8888");
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[Listening] tcp: listening on 127\\.0\\.0\\.1:8888\\R"), line);
  }

  @Test
  void jsonIsOneObjectPerLineWithoutVersionOrNumericLevel() {
    ConsoleLogging.configure(context, "json");
    ConsoleAppender<ILoggingEvent> console = console();
    assertEquals("json", console.getName());
    String line = encode(console.getEncoder(), "tcp: listening on 127.0.0.1:8888");
    assertEquals(1, line.strip().lines().count(), line);
    JsonObject record = new JsonObject(line);
    assertEquals("tcp: listening on 127.0.0.1:8888", record.getString("message"));
    assertEquals("INFO", record.getString("level"));
    assertEquals("dev.vxnet.net.Listening", record.getString("logger_name"));
    assertNotNull(record.getString("@timestamp"));
    assertFalse(record.containsKey("@version"), line);
    assertFalse(record.containsKey("level_value"), line);
  }

  @Test
  void levelsShutdownHookAndQuietStatus() {
    ConsoleLogging.configure(context, "text");
    assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
    assertEquals(Level.WARN, context.getLogger("com.hazelcast").getLevel());
    assertEquals(Level.ERROR, context.getLogger("com.hazelcast.cp.CPSubsystem").getLevel());
    assertEquals(Level.ERROR, context.getLogger("io.micrometer.core.instrument.MeterRegistry").getLevel());
    assertEquals(Level.OFF, context.getLogger("io.vertx.core.impl.launcher.commands.VertxIsolatedDeployer").getLevel());
    assertNotNull(context.getObject(CoreConstants.SHUTDOWN_HOOK_THREAD), "a shutdown hook flushes the last lines");
    assertFalse(context.getStatusManager().getCopyOfStatusListenerList().isEmpty(), "a status listener keeps Logback quiet");
  }

  @Test
  void setUpAgainAfterAResetHasOneConsole() {
    ConsoleLogging.configure(context, "text");
    context.reset();
    ConsoleLogging.configure(context, "json");
    AsyncAppender async = async();
    assertEquals("json", console().getName());
    assertEquals(ConsoleLogging.QUEUE_SIZE, async.getQueueSize());
    assertEquals(0, async.getDiscardingThreshold());
    int appenders = 0;
    for (var it = context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders(); it.hasNext(); it.next()) {
      appenders++;
    }
    assertEquals(1, appenders);
  }

  @Test
  void aUsersConfigurationFileIsLeftToLogbackOnlyWhenItIsThere(@TempDir Path dir) throws Exception {
    String before = System.getProperty(ConsoleLogging.FILE_PROPERTY);
    try {
      System.clearProperty(ConsoleLogging.FILE_PROPERTY);
      assertTrue(ConsoleLogging.userFile().isEmpty());
      Path file = Files.writeString(dir.resolve("mine.xml"), "<configuration/>");
      System.setProperty(ConsoleLogging.FILE_PROPERTY, file.toString());
      assertEquals(file.toUri().toURL(), ConsoleLogging.userFile().orElseThrow());
      assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, new ConsoleLogging().configure(context));
      for (String missing : List.of(dir.resolve("typo.xml").toString(), dir.resolve("typo.xml").toUri().toString())) {
        System.setProperty(ConsoleLogging.FILE_PROPERTY, missing);
        assertTrue(ConsoleLogging.userFile().isEmpty(), missing);
      }
      // a name that is not there: vxnet's console (Logback alone would log everything at DEBUG)
      assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, new ConsoleLogging().configure(context));
      assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
      assertNotNull(console());
    } finally {
      if (before == null) {
        System.clearProperty(ConsoleLogging.FILE_PROPERTY);
      } else {
        System.setProperty(ConsoleLogging.FILE_PROPERTY, before);
      }
    }
  }

  private AsyncAppender async() {
    return assertInstanceOf(AsyncAppender.class, context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("console"));
  }

  @SuppressWarnings("unchecked")
  private ConsoleAppender<ILoggingEvent> console() {
    AsyncAppender async = async();
    ConsoleAppender<ILoggingEvent> text = (ConsoleAppender<ILoggingEvent>) async.getAppender("text");
    return text != null ? text : (ConsoleAppender<ILoggingEvent>) assertInstanceOf(ConsoleAppender.class, async.getAppender("json"));
  }

  private String encode(Encoder<ILoggingEvent> encoder, String message) {
    LoggingEvent event = new LoggingEvent(ConsoleLoggingTest.class.getName(), context.getLogger("dev.vxnet.net.Listening"),
      Level.INFO, message, null, null);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
