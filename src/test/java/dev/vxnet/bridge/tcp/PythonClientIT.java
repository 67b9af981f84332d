package dev.vxnet.bridge.tcp;

import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Python bridge client's own tests (clients/python/tests: codec unit tests, then the client and its
 * examples against the packaged jar), run by {@code mvn verify} so that the README's test command covers
 * them. Skipped only where python3 is missing.
 */
class PythonClientIT {

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void thePythonClientTestsPass() throws Exception {
    assumeTrue(python3Runs(), "python3 is not on the PATH: the Python client tests are skipped");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String services = TestNode.config(TestNode.only("bridge", "chat")).encode();
    try (VxnetProcess tests = VxnetProcess.launch("python-client-tests",
      List.of("python3", "-B", "-m", "unittest", "discover", "-v", "-s", "clients/python/tests"),
      Map.of("JAVA", java, "VXNET_TEST_CONF", services))) {
      int status = tests.exitCode(Duration.ofSeconds(280));
      assertEquals(0, status, "python3 -m unittest discover -s clients/python/tests failed:\n" + tests.output());
      Matcher ran = Pattern.compile("(?m)^Ran (\\d+) tests? ").matcher(tests.output());
      assertTrue(ran.find() && Integer.parseInt(ran.group(1)) > 0, "no Python test ran:\n" + tests.output());
      // unittest ends with "OK (skipped=N)" when the live tests were skipped; a plain "OK" means every test ran (the
      // per-test "... ok" can be split by asyncio's slow-callback warnings on a loaded machine)
      boolean nothingSkipped = Pattern.compile("(?m)^OK$").matcher(tests.output()).find();
      assertTrue(nothingSkipped && tests.output().contains("test_chat_joins_talks_listens_and_leaves"),
        "the live tests did not run:\n" + tests.output());
    }
  }

  private static boolean python3Runs() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
