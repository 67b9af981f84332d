package dev.vxnet.load;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.support.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vxnet load dns: Do53 over UDP and TCP against a real DNS server (the tests' in-JVM one, answering the vxnet.test
 * zone), DNS over HTTPS against vxnet's /dns-query forwarding to it, and a server that refuses everything.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DnsLoadTest {

  private static Vertx vertx;
  private static TestDnsServer dns;
  private static TestNode node;
  private static MisbehavingServers bad;
  @TempDir
  static Path dir;
  private static Path names;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx, new TestZone(300, 300, 60)).await(10, TimeUnit.SECONDS);
    node = TestNode.start(TestNode.only("dns", "https")
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address()))));
    bad = new MisbehavingServers();
    // Used in turn: with one connection, 4 queries in 4 are NOERROR, NOERROR, NXDOMAIN, NOERROR.
    names = Files.writeString(dir.resolve("names.txt"), """
      # name [type]
      www.vxnet.test
      www.vxnet.test AAAA
      nothere.vxnet.test A

      mail.vxnet.test MX
      """);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    bad.close();
    dns.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static int port() {
    return Integer.parseInt(dns.address().substring(dns.address().lastIndexOf(':') + 1));
  }

  @Test
  void udpQueriesInTurnEachAnswered() {
    Loads.Run run = Loads.run("dns", "--port", port(), "--names", names, "--connections", 1, "--window", 10,
      "--count", 2000, "--json");
    assertEquals(0, run.status(), run.toString());
    JsonObject json = run.json();
    assertEquals(2000, json.getLong("operations"));
    assertEquals(4, json.getInteger("names"));
    assertEquals(new JsonObject().put("NOERROR", 1500L).put("NXDOMAIN", 500L), json.getJsonObject("rcodes"));
  }

  @Test
  void tcpQueriesPipelinedOnEachConnection() {
    Loads.Run run = Loads.run("dns", "--transport", "tcp", "--port", port(), "--names", names, "--connections", 1,
      "--window", 5, "--count", 1000, "--json");
    assertEquals(0, run.status(), run.toString());
    assertEquals(1000, run.count("operations"));
    assertEquals(250, run.json().getJsonObject("rcodes").getLong("NXDOMAIN"));
    assertEquals("tcp 127.0.0.1:" + port(), run.json().getString("target"));
  }

  @Test
  void dnsOverHttpsPostAndGetThroughVxnet() {
    String url = "https://127.0.0.1:" + node.port("https") + "/dns-query";
    for (String method : new String[] {"POST", "GET"}) {
      Loads.Run run = Loads.run("dns", "--url", url, "--insecure", "--method", method, "--names", names,
        "--connections", 2, "--streams", 4, "--count", 200, "--json");
      assertEquals(0, run.status(), method + ": " + run);
      JsonObject json = run.json();
      assertEquals(200, json.getLong("operations"));
      assertEquals(200, json.getJsonObject("http_versions").getLong("h2"));
      JsonObject rcodes = json.getJsonObject("rcodes");
      assertEquals(200, rcodes.getLong("NOERROR") + rcodes.getLong("NXDOMAIN"), rcodes.encode());
      assertTrue(rcodes.getLong("NXDOMAIN") > 0, rcodes.encode());
    }
  }

  @Test
  void refusedAnswersAreErrors() throws Exception {
    Loads.Run run = Loads.run("dns", "--port", bad.refusingDns(), "--names", names, "--count", 100, "--json");
    assertEquals(LoadCommand.FAILED, run.status(), run.toString());
    assertEquals(100, run.errorKind("rcode"));
    assertEquals(new JsonObject().put("REFUSED", 100L), run.json().getJsonObject("rcodes"));
  }

  @Test
  void aBadLineOfTheNamesFileIsNamed() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.txt"), "www.vxnet.test\nwww..vxnet.test A\n");
    Loads.Run run = Loads.run("dns", "--port", port(), "--names", broken, "--count", 1);
    assertEquals(LoadCommand.BAD_OPTION, run.status(), run.toString());
    assertTrue(run.err().startsWith("vxnet load dns: " + broken + ":2: expected a domain name, got 'www..vxnet.test'"), run.err());
    Path type = Files.writeString(dir.resolve("type.txt"), "www.vxnet.test AX\n");
    Loads.Run badType = Loads.run("dns", "--port", port(), "--names", type, "--count", 1);
    assertEquals("vxnet load dns: " + type + ":1: expected a record type such as A, AAAA, MX or TXT, got 'AX'\n", badType.err());
  }
}
