package dev.vxnet.dns.resolver;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records every log record (JUL's root logger: vxnet, Vert.x and Netty all log through it) that carries an exception
 * or is SEVERE, from creation until {@link #close}, for tests that assert bad input leaves no stack trace.
 */
public final class ThrownLog extends Handler implements AutoCloseable {

  private final List<LogRecord> records = new ArrayList<>();

  public ThrownLog() {
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getThrown() != null || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      records.add(record);
    }
  }

  /** Fails naming the first record, if any was recorded. */
  public synchronized void assertEmpty() {
    assertTrue(records.isEmpty(), () -> records.size() + " log records with an exception or SEVERE, the first: "
      + records.get(0).getLevel() + " " + records.get(0).getMessage() + " " + records.get(0).getThrown());
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
