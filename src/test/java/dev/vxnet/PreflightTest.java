package dev.vxnet;

import dev.vxnet.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

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
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        logged.add(record.getMessage());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger log = Logger.getLogger("vxnet");
    log.addHandler(capture);
    try {
      JsonObject config = TestNode.only("tcp", "https").put("https", new JsonObject()
        .put("cert_path", "/nonexistent/vxnet/cert.pem").put("key_path", "/nonexistent/vxnet/key.pem"));
      Exception failure = assertThrows(Exception.class, () -> TestNode.start(config).close());
      assertEquals("https.cert_path: /nonexistent/vxnet/cert.pem: no such file", failure.getMessage());
      assertTrue(logged.stream().noneMatch(line -> line.contains("listening on")), "nothing listened: " + logged);
    } finally {
      log.removeHandler(capture);
    }
  }
}
