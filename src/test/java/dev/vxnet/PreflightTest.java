package dev.vxnet;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MainVerticle checks the files the configuration names (certificates, web root) before any service binds a port:
 * a missing certificate stops the start while TCP echo, deployed before HTTPS, has not listened yet.
 */
class PreflightTest {

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aMissingCertificateStopsTheStartBeforeAnyPortIsBound() {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger log = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    log.addAppender(logged);
    try {
      JsonObject config = TestNode.only("tcp", "https").put("https", new JsonObject()
        .put("cert_path", "/nonexistent/vxnet/cert.pem").put("key_path", "/nonexistent/vxnet/key.pem"));
      Exception failure = assertThrows(Exception.class, () -> TestNode.start(config).close());
      assertEquals("https.cert_path: /nonexistent/vxnet/cert.pem: no such file", failure.getMessage());
      assertTrue(logged.list.stream().anyMatch(event -> event.getFormattedMessage().contains("transport")),
        "the log is captured: " + logged.list);
      assertTrue(logged.list.stream().noneMatch(event -> event.getFormattedMessage().contains("listening on")),
        "nothing listened: " + logged.list);
    } finally {
      log.detachAppender(logged);
    }
  }
}
