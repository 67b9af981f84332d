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
 * MainVerticle checks the files the configuration names (certificates, web root, the fetcher's CA bundle) before any
 * service binds a port: a missing file stops the start while TCP echo, deployed first, has not listened yet.
 */
class PreflightTest {

  /** Starts a node with {@code config}, expecting {@code problem} before anything listened. */
  private static void refusedBeforeListening(JsonObject config, String problem) {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger log = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    log.addAppender(logged);
    try {
      Exception failure = assertThrows(Exception.class, () -> TestNode.start(config).close());
      assertEquals(problem, failure.getMessage());
      assertTrue(logged.list.stream().anyMatch(event -> event.getFormattedMessage().contains("transport")),
        "the log is captured: " + logged.list);
      assertTrue(logged.list.stream().noneMatch(event -> event.getFormattedMessage().contains("listening on")),
        "nothing listened: " + logged.list);
    } finally {
      log.detachAppender(logged);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aMissingCertificateStopsTheStartBeforeAnyPortIsBound() {
    refusedBeforeListening(TestNode.only("tcp", "https").put("https", new JsonObject()
        .put("cert_path", "/nonexistent/vxnet/cert.pem").put("key_path", "/nonexistent/vxnet/key.pem")),
      "https.cert_path: /nonexistent/vxnet/cert.pem: no such file");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyServicesProblemIsToldOneLineEachInTheServicesOrder() {
    // the preflights run side by side: whichever finishes first, the message lists both in the order of Services.ALL
    refusedBeforeListening(TestNode.only("tcp", "https", "fetch", "dns")
        .put("https", new JsonObject().put("cert_path", "/nonexistent/vxnet/cert.pem").put("key_path", "/nonexistent/vxnet/key.pem"))
        .put("fetch", new JsonObject().put("ca_file", "/nonexistent/vxnet/ca.pem"))
        .put("dns", new JsonObject().put("dot_cert_path", "/nonexistent/vxnet/dot.pem").put("dot_key_path", "/nonexistent/vxnet/dot-key.pem")),
      String.join("\n",
        "dns.dot_cert_path: /nonexistent/vxnet/dot.pem: no such file",
        "fetch.ca_file: cannot read /nonexistent/vxnet/ca.pem: java.nio.file.NoSuchFileException: /nonexistent/vxnet/ca.pem",
        "https.cert_path: /nonexistent/vxnet/cert.pem: no such file"));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aMissingFetchCaFileStopsTheStartBeforeAnyPortIsBound() {
    refusedBeforeListening(TestNode.only("tcp", "fetch").put("fetch", new JsonObject().put("ca_file", "/nonexistent/vxnet/ca.pem")),
      "fetch.ca_file: cannot read /nonexistent/vxnet/ca.pem: java.nio.file.NoSuchFileException: /nonexistent/vxnet/ca.pem");
  }
}
