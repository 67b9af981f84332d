package dev.vxnet.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vxnet.support.Http;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log of a whole node, read from Logback as its appenders see it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessLogTest {

  private final Logger access = (Logger) LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void listen() {
    appender.start();
    access.addAppender(appender);
  }

  @AfterEach
  void stop() {
    access.detachAppender(appender);
  }

  @Test
  void oneLinePerRequestWithMethodPathStatusBytesAndTimeButNotForProbes() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https"))) {
      Http http = new Http(node.vertx);
      int https = node.port("https");
      assertEquals(200, http.https(https, "/health").statusCode());
      assertEquals(200, http.https(https, "/ready").statusCode());
      assertEquals(404, http.https(https, "/metrics").statusCode(), "metrics off on this Vert.x, still not logged");
      assertEquals(200, http.https(https, "/api/echo?q=1").statusCode());
      List<ILoggingEvent> lines = awaitLines(1);
      String line = lines.get(0).getFormattedMessage();
      assertTrue(line.matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] "
        + "\"GET /api/echo\\?q=1 HTTP/1\\.1\" 200 [1-9]\\d* \"-\" \"Vert\\.x-WebClient/[^\"]+\" \\d+\\.\\d+"), line);
      assertEquals(1, appender.list.size(), "the probes are skipped: " + appender.list);
    }
  }

  @Test
  void theSwitchTurnsItOff() throws Exception {
    try (TestNode node = TestNode.start(TestNode.only("https")
      .put("logging", new JsonObject().put("access_log", false)))) {
      assertTrue(AccessLog.of(node.vertx, "https").isEmpty(), "no handler at all on the servers");
      Http http = new Http(node.vertx);
      assertEquals(200, http.https(node.port("https"), "/api/echo").statusCode());
      assertEquals(404, http.https(node.port("https"), "/nothing").statusCode());
      assertEquals(List.of(), appender.list);
    }
  }

  /** The end handler logs right after the response is written, maybe after the client has read it. */
  private List<ILoggingEvent> awaitLines(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (appender.list.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return List.copyOf(appender.list);
  }
}
