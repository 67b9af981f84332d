package dev.vxnet.cluster;

import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on one machine as docs/scaling.md shows them: the same command twice, {@code -cluster} and no member list,
 * the second with the one switch {@code VXNET_NODE_PORT_OFFSET=1}. They form one cluster and chat crosses. The base
 * ports are free ones rather than the defaults (other tests run meanwhile); the mechanism is the same.
 */
class LocalClusterIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration CHAT = Duration.ofSeconds(10);
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void theSameCommandTwiceWithAPortOffsetFormsOneCluster() throws Exception {
    int hazelcast = freeRange(ClusterSettings.LOCAL_NODES);
    int chat = freeRange(2);
    List<String> command = List.of("-cluster", "-conf", TestNode.config(TestNode.only("chat")).mergeIn(new JsonObject()
      .put("cluster", new JsonObject().put("hazelcast_port", hazelcast))
      .put("chat", new JsonObject().put("port", chat)), true)
      .encode());
    try (VxnetProcess first = VxnetProcess.start("local-first", JVM, command, Map.of())) {
      first.awaitLine("node \\S+: started", START);
      try (VxnetProcess second = VxnetProcess.start("local-second", JVM, command, Map.of("VXNET_NODE_PORT_OFFSET", "1"))) {
        second.awaitLine("node \\S+: started", START);
        assertEquals(chat + 1, second.port("chat", START), "the offset moved the chat port");
        assertEquals(String.valueOf(hazelcast + 1),
          second.awaitLine("cluster vxnet: node \\S+, Hazelcast on 127\\.0\\.0\\.1:(\\d+), .*; 2 node\\(s\\) in the cluster", START).group(1),
          "the offset moved Hazelcast's port, and the second node found the first");
        first.awaitLine("cluster: node \\S+ \\(\\[127\\.0\\.0\\.1\\]:" + (hazelcast + 1) + "\\) joined; 2 node\\(s\\) now", START);

        try (LineClient onFirst = new LineClient(chat); LineClient onSecond = new LineClient(chat + 1)) {
          String firstGuest = guestName(onFirst.expectStartingWith("* welcome to vxnet chat", CHAT));
          String secondGuest = guestName(onSecond.expectStartingWith("* welcome to vxnet chat", CHAT));
          assertNotEquals(firstGuest, secondGuest, "guest names differ across nodes");
          onSecond.send("hello from the second node");
          assertEquals("<" + secondGuest + "> hello from the second node", onFirst.expectStartingWith("<", CHAT));
        }
      }
    }
  }

  /** {@code guest-3f2a-1} out of {@code * welcome to vxnet chat, you are guest-3f2a-1 in #lobby ...}. */
  private static String guestName(String welcome) {
    String name = welcome.replaceAll(".* you are (\\S+) in #.*", "$1");
    assertTrue(name.matches("guest-[0-9a-f]{4}-\\d+"), welcome);
    return name;
  }

  /** The first of {@code count} consecutive ports free on 127.0.0.1, away from the default and benchmark ports. */
  private static int freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }

  private static boolean allFree(int base, int count) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int port = base; port < base + count; port++) {
        held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
      }
      return true;
    } catch (IOException taken) {
      return false;
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a socket we just bound
        }
      }
    }
  }
}
