package dev.vxnet.load;

import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code java -jar target/vxnet.jar load} and {@code bin/vxnet-load} as users run them, against vxnet's TCP echo. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoadIT {

  private static final Duration EXIT = Duration.ofSeconds(60);
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.only("tcp"));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  @Test
  void binVxnetLoadPrintsOneJsonObjectAndNoProgressOffATerminal() throws Exception {
    try (VxnetProcess load = VxnetProcess.launch("load-bin", List.of("bin/vxnet-load", "tcp", "--port",
      String.valueOf(node.port("tcp")), "--connections", "4", "--count", "500", "--json"), Map.of())) {
      assertEquals(0, load.exitCode(EXIT), load.output());
      String output = load.output().strip();
      assertEquals(1, output.lines().count(), "one line, no progress line when not on a terminal: " + output);
      JsonObject json = new JsonObject(output);
      assertEquals(500, json.getLong("operations"));
      assertEquals(0, json.getLong("errors"));
    }
  }

  @Test
  void aBadOptionIsOneLineAndExitStatusTwo() throws Exception {
    try (VxnetProcess load = VxnetProcess.start("load-bad", List.of(), List.of("load", "tcp", "--size", "0"), Map.of())) {
      assertEquals(2, load.exitCode(EXIT));
      assertEquals("vxnet load tcp: --size: expected an integer from 1 to 16777216, got '0'", load.output().strip());
    }
  }

  @Test
  void errorsBeyondMaxErrorsExitOne() throws Exception {
    int closed = TestNode.freePort();
    try (VxnetProcess load = VxnetProcess.start("load-refused", List.of(), List.of("load", "udp", "--port",
      String.valueOf(closed), "--count", "20", "--timeout", "100", "--connections", "1"), Map.of())) {
      assertEquals(1, load.exitCode(EXIT), load.output());
      assertTrue(load.output().contains("vxnet load udp: 20 errors, more than --max-errors 0"), load.output());
    }
  }

  @Test
  void ioUringTransportWhereTheKernelAllowsIt() throws Exception {
    assumeTrue(Transport.IO_URING.available(), () -> "io_uring: " + Transport.IO_URING.unavailabilityCause());
    try (VxnetProcess load = VxnetProcess.start("load-io-uring", List.of(), List.of("load", "tcp", "--port",
      String.valueOf(node.port("tcp")), "--connections", "3", "--window", "16", "--size", "1000", "--count", "2000",
      "--timeout", "2000", "--io-transport", "io_uring", "--json"), Map.of())) {
      assertEquals(0, load.exitCode(EXIT), load.output());
      JsonObject json = new JsonObject(load.output().strip());
      assertEquals("io_uring", json.getString("io_transport"));
      assertEquals(2000, json.getLong("operations"));
      assertEquals(2000 * 1000L, json.getLong("bytes"));
    }
  }
}
