package dev.vxnet;

import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (SIGINT) at several moments of the start, from the first log line on: exit status 0, no stack trace, nothing
 * about a failed start. Before the first line the JVM itself is still booting and dies of the signal as any process.
 */
class StartupSignalIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /** tcp, udp and chat deployed one after the other: after tcp's "listening" line the start is half done. */
  private static List<String> sockets(boolean clustered) throws Exception {
    JsonObject config = TestNode.config(TestNode.only("tcp", "udp", "chat"));
    List<String> args = new ArrayList<>();
    if (clustered) {
      int hazelcast = TestNode.freePort();
      config.put("cluster", new JsonObject().put("hazelcast_port", hazelcast).put("members", new JsonArray().add("127.0.0.1:" + hazelcast)));
      args.add("-cluster");
    }
    args.add("-conf");
    args.add(config.encode());
    return args;
  }

  private static void interruptAfter(String name, String line, boolean clustered) throws Exception {
    try (VxnetProcess vxnet = VxnetProcess.launchWithDefaultSignals("sigint-" + name, JVM, sockets(clustered))) {
      vxnet.awaitLine(line, START);
      vxnet.signal("INT");
      int status = vxnet.exitCode(EXIT);
      String output = vxnet.output();
      assertEquals(0, status, "exit status after SIGINT following /" + line + "/:\n" + output);
      assertTrue(output.contains("SIGINT received"), output);
      assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
      assertFalse(output.contains("Exception") || output.contains("cannot start"), "no failure reported:\n" + output);
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void whileTheConfigurationIsRead() throws Exception {
    interruptAfter("config", "\\[VxnetLauncher\\] vxnet \\S+ .*: starting, pid", false);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void whileHazelcastJoins() throws Exception {
    interruptAfter("join", "\\[VxnetLauncher\\] cluster vxnet: starting Hazelcast", true);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void whileServicesAreDeployed() throws Exception {
    interruptAfter("deploying", "\\[Listening\\] tcp: listening on", false);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void afterTheStartOfAClusteredNode() throws Exception {
    interruptAfter("started", "node \\S+: started", true);
  }
}
