package dev.vxnet.dns.resolver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records every log event (Logback's root logger: vxnet, Vert.x and Netty all log through SLF4J) that carries an
 * exception or is ERROR, from creation until {@link #close}, for tests that assert bad input leaves no stack trace.
 */
public final class ThrownLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final List<ILoggingEvent> events = new ArrayList<>();

  public ThrownLog() {
    setContext(root.getLoggerContext());
    setName("thrown-log");
    start();
    root.addAppender(this);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getThrowableProxy() != null || event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      events.add(event);
    }
  }

  /** Fails naming the first event, if any was recorded. */
  public synchronized void assertEmpty() {
    assertTrue(events.isEmpty(), () -> events.size() + " log events with an exception or ERROR, the first: "
      + events.get(0).getLevel() + " " + events.get(0).getFormattedMessage() + " "
      + (events.get(0).getThrowableProxy() == null ? "" : events.get(0).getThrowableProxy().getClassName()));
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
