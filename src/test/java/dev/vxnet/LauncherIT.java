package dev.vxnet;

import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as users run it: launcher flags, configuration sources, exit statuses, signals. */
class LauncherIT {

  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(30);

  /** Only the socket services, each on its own free loopback port. */
  private static JsonObject sockets() throws Exception {
    JsonObject config = TestNode.config(TestNode.only("tcp", "udp", "chat"));
    for (String service : List.of("tcp", "udp", "chat")) {
      config.getJsonObject(service).put("port", TestNode.freePort());
    }
    return config;
  }

  private static String echoTcp(int port, String text) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput(); // like `nc -q1`: send, then half-close
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theJarServesTcpUdpAndChat() throws Exception {
    JsonObject config = sockets();
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-serves", List.of(), List.of("-conf", config.encode()), Map.of())) {
      vxnet.awaitLine("node \\S+: started", START);
      assertEquals("hello", echoTcp(vxnet.port("tcp", START), "hello"));

      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        udp.setSoTimeout(5_000);
        byte[] datagram = "ping".getBytes(StandardCharsets.UTF_8);
        udp.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), vxnet.port("udp", START)));
        DatagramPacket reply = new DatagramPacket(new byte[100], 100);
        udp.receive(reply);
        assertArrayEquals(datagram, Arrays.copyOf(reply.getData(), reply.getLength()));
      }

      int chat = vxnet.port("chat", START);
      try (LineClient one = new LineClient(chat); LineClient two = new LineClient(chat)) {
        one.expectStartingWith("* welcome");
        two.expectStartingWith("* welcome");
        one.expect(line -> line.endsWith(" joined #lobby"), "announcing the second client");
        two.send("hi one");
        assertTrue(one.expectStartingWith("<").endsWith("> hi one"));
      }
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void instancesFlagScalesEveryServiceFromOneMainVerticle() throws Exception {
    JsonObject config = sockets();
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-instances", List.of(),
      List.of("run", MainVerticle.class.getName(), "-conf", config.encode(), "-instances", "2"), Map.of())) {
      vxnet.awaitLine("started \\{\"tcp\":2,\"udp\":2,\"chat\":2\\}", START);
      long mainVerticles = vxnet.output().lines().filter(line -> line.contains(", transport ")).count();
      assertEquals(1, mainVerticles, "one MainVerticle, not one per instance:\n" + vxnet.output());
      assertEquals("scaled", echoTcp(vxnet.port("tcp", START), "scaled"));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void oneVerticleRunsAloneWithItsOwnSection() throws Exception {
    int port = TestNode.freePort();
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-alone", List.of(),
      List.of("run", "dev.vxnet.tcp.TcpEchoVerticle", "-conf", "{\"host\":\"127.0.0.1\",\"port\":" + port + "}"), Map.of())) {
      assertEquals(port, vxnet.port("tcp", START));
      assertEquals("alone", echoTcp(port, "alone"));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void environmentThenSystemPropertiesThenConfOverride() throws Exception {
    JsonObject config = sockets();
    int fromEnv = TestNode.freePort();
    int fromProperty = TestNode.freePort();
    config.getJsonObject("tcp").remove("port");
    config.getJsonObject("chat").remove("port");
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-precedence", List.of("-Dvxnet.chat.port=" + fromProperty), List.of("-conf", config.encode()),
      Map.of("VXNET_TCP_PORT", String.valueOf(fromEnv), "VXNET_CHAT_PORT", "1"))) {
      assertEquals(fromEnv, vxnet.port("tcp", START), "environment over defaults");
      assertEquals(fromProperty, vxnet.port("chat", START), "system property over environment");
      assertEquals(config.getJsonObject("udp").getInteger("port"), vxnet.port("udp", START), "-conf over all");
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aBadValueExitsNonZeroNamingTheKey() throws Exception {
    JsonObject config = sockets();
    config.getJsonObject("tcp").remove("port");
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-bad-value", List.of(), List.of("-conf", config.encode()),
      Map.of("VXNET_TCP_PORT", "99999", "VXNET_CHAT_BOGUS", "1"))) {
      assertEquals(1, vxnet.exitCode(EXIT));
      assertTrue(vxnet.output().contains("tcp.port: expected an integer from 0 to 65535, got 99999"), vxnet.output());
      assertTrue(vxnet.output().contains("chat.bogus: unknown key"), vxnet.output());
      assertTrue(!vxnet.output().contains("\tat "), "no stack trace:\n" + vxnet.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPortInUseExitsNonZeroNamingServiceAndPort() throws Exception {
    JsonObject config = sockets();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      config.getJsonObject("chat").put("port", taken.getLocalPort());
      try (VxnetProcess vxnet = VxnetProcess.start("launcher-port-in-use", List.of(), List.of("-conf", config.encode()), Map.of())) {
        assertEquals(1, vxnet.exitCode(EXIT));
        assertTrue(vxnet.output().contains("chat: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use"),
          vxnet.output());
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aConfArgumentThatIsNeitherFileNorJsonExitsTwo() throws Exception {
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-bad-conf", List.of(), List.of("-conf", "no-such-file.json"), Map.of())) {
      assertEquals(2, vxnet.exitCode(EXIT));
      assertTrue(vxnet.output().contains("-conf no-such-file.json: not inline JSON and not a readable file"), vxnet.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void sigtermClosesConnectionsAndExitsZero() throws Exception {
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-sigterm", List.of(), List.of("-conf", sockets().encode()), Map.of())) {
      int port = vxnet.port("tcp", START);
      vxnet.awaitLine("node \\S+: started", START);
      try (Socket open = new Socket("127.0.0.1", port)) {
        open.setSoTimeout(20_000);
        open.getOutputStream().write('x');
        InputStream in = open.getInputStream();
        assertEquals('x', in.read());
        vxnet.terminate();
        assertEquals(-1, in.read(), "the server closed the open connection");
      }
      assertEquals(0, vxnet.exitCode(EXIT));
      assertTrue(vxnet.output().contains("SIGTERM received"), vxnet.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void binVertxRunWorksAsVertxUsersExpect() throws Exception {
    JsonObject config = sockets();
    try (VxnetProcess vxnet = VxnetProcess.launch("bin-vertx",
      List.of("bash", "bin/vertx", "run", MainVerticle.class.getName(), "-conf", config.encode()), Map.of())) {
      assertEquals("wrapped", echoTcp(vxnet.port("tcp", START), "wrapped"));
    }
    // `run` naming no verticle runs the node too, as bin/vertx's own usage line says
    try (VxnetProcess vxnet = VxnetProcess.launch("bin-vertx-run", List.of("bash", "bin/vertx", "run", "-conf", config.encode()), Map.of())) {
      assertEquals("plain run", echoTcp(vxnet.port("tcp", START), "plain run"));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void versionComesFromTheMavenProjectVersion() throws Exception {
    String projectVersion = Files.readString(Path.of("pom.xml"))
      .replaceAll("(?s).*?<artifactId>vxnet</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
    try (VxnetProcess version = VxnetProcess.start("launcher-version", List.of(), List.of("version"), Map.of())) {
      assertEquals(0, version.exitCode(EXIT));
      assertTrue(version.output().startsWith("vxnet " + projectVersion + " (Vert.x 5."), version.output());
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void helpDescribesVxnetsOwnBehaviour() throws Exception {
    for (List<String> asked : List.of(List.of("--help"), List.of("run", "--help"), List.of("help"), List.of("-h"))) {
      try (VxnetProcess help = VxnetProcess.start("launcher-help", List.of(), asked, Map.of())) {
        assertEquals(0, help.exitCode(EXIT), asked.toString());
        String text = help.output();
        assertTrue(text.contains("-instances N              Sets node.instances"), text);
        assertTrue(text.contains("-cluster                  Sets cluster.enabled"), text);
        assertTrue(text.contains("VXNET_NODE_PORT_OFFSET=1"), text);
        assertFalse(text.contains("Specifies how many instances of the"), "not Vert.x's stock text:\n" + text);
      }
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anUnknownCommandIsOneLineAndStartsNothing() throws Exception {
    try (VxnetProcess typo = VxnetProcess.start("launcher-unknown-command", List.of(), List.of("hepl"), Map.of())) {
      assertEquals(2, typo.exitCode(EXIT));
      assertEquals("vxnet: unknown command \"hepl\" (commands: run, load, version, help, bare, start, stop, list; options alone run the node);"
        + " java -jar vxnet.jar help says more", typo.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void anUnknownVerticleIsOneLineWithoutAStackTrace() throws Exception {
    try (VxnetProcess unknown = VxnetProcess.start("launcher-unknown-verticle", List.of(), List.of("run", "hello.nothing"), Map.of())) {
      assertEquals(1, unknown.exitCode(EXIT));
      unknown.awaitLine("^vxnet: cannot start: hello\\.nothing: no class hello\\.nothing on the class path$", Duration.ofSeconds(1));
      assertFalse(unknown.output().contains("\tat "), "no stack trace:\n" + unknown.output());
      assertFalse(unknown.output().contains("Exception"), unknown.output());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aMissingCertificateStopsTheStartBeforeAnyPortIsBound() throws Exception {
    JsonObject config = sockets();
    config.mergeIn(new JsonObject().put("https", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", 0)
      .put("cert_path", "no-such-cert.pem").put("key_path", "no-such-key.pem")), true);
    try (VxnetProcess vxnet = VxnetProcess.start("launcher-missing-cert", List.of(), List.of("-conf", config.encode()), Map.of())) {
      assertEquals(1, vxnet.exitCode(EXIT));
      String output = vxnet.output();
      assertFalse(output.contains("listening on"), "nothing listened before the error:\n" + output);
      List<String> errors = output.lines().filter(line -> line.startsWith("vxnet: ")).toList();
      assertEquals(1, errors.size(), output);
      assertTrue(errors.get(0).startsWith("vxnet: cannot start: https.cert_path: ") && errors.get(0).contains("no-such-cert.pem"), output);
      assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
    }
  }
}
