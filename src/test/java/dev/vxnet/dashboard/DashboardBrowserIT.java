package dev.vxnet.dashboard;

import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven by Selenium through Debian's chromium-driver,
 * loads {@code /dashboard/} from an "edge" node clustered with a "worker" node (two JVMs of the fat jar), waits until
 * the page shows both, sends real traffic (HTTPS, UDP, chat on both nodes, DNS through the worker's resolver, fetches)
 * and checks that the numbers on the page move; checks the page at a phone's width and that the browser reported no
 * error (a Content-Security-Policy violation would be one); then kills the worker and checks that the page marks it
 * gone. Screenshots go to {@code target/dashboard*.png}, and to {@code docs/} with {@code -Dvxnet.docs.write=true}.
 *
 * <p>Without Chromium and chromium-driver the test is skipped with the reason (the README's {@code mvn -B verify} on a
 * machine without them); under CI ({@code CI=true}, where {@code .ci/run} installs them) it fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
  private static final List<Path> DRIVERS = List.of(Path.of("/usr/bin/chromedriver"), Path.of("/usr/lib/chromium/chromedriver"));
  private static final Duration START = Duration.ofSeconds(90);
  /** The page updates once a second; allow for a loaded 2-core machine. */
  private static final Duration PAGE = Duration.ofSeconds(30);
  /**
   * Rounds of traffic, one per snapshot of the page: each 10 HTTPS requests, 3 DNS questions, 1 fetch, 5 datagrams and
   * a chat line on each node.
   */
  private static final int ROUNDS = 8;
  private static final List<String> JVM = VxnetProcess.SMALL_JVM;

  private Vertx vertx;
  private TestDnsServer dns;
  private WebClient web;
  private VxnetProcess edge;
  private VxnetProcess worker;
  private int edgeHttps;
  private int edgeHttp;
  private int edgeUdp;
  private int edgeChat;
  private int workerChat;
  private WebDriver browser;

  @BeforeAll
  @Timeout(300)
  void startNodesAndBrowser() throws Exception {
    Optional<Path> chromium = BROWSERS.stream().filter(Files::isExecutable).findFirst();
    Optional<Path> driver = DRIVERS.stream().filter(Files::isExecutable).findFirst();
    String missing = "Chromium (" + BROWSERS + ") and chromium-driver (" + DRIVERS + ")";
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(chromium.isPresent() && driver.isPresent(), "CI must run the dashboard browser test: install " + missing
        + " (Debian: apt-get install chromium chromium-driver, as .ci/run does)");
    }
    Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(), "dashboard browser test skipped: no " + missing
      + " on this machine; install them (Debian: apt-get install chromium chromium-driver) or run .ci/run");

    vertx = Vertx.vertx();
    dns = TestDnsServer.start(vertx, new TestZone(300, 300, 60)).await(30, TimeUnit.SECONDS);
    web = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    int edgeHazelcast = TestNode.freePort();
    int workerHazelcast = TestNode.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + edgeHazelcast).add("127.0.0.1:" + workerHazelcast);
    edge = VxnetProcess.start("dashboard-edge", JVM, List.of("-conf",
      TestNode.clustered("edge", edgeHazelcast, members, "https", "http", "tcp", "udp", "chat", "fetch")
      .put("fetch", new JsonObject().put("allow", new JsonArray().add("127.0.0.1")))
      .encode()), Map.of());
    edge.awaitLine("node edge: started", START);
    worker = VxnetProcess.start("dashboard-worker", JVM, List.of("-conf",
      TestNode.clustered("worker", workerHazelcast, members, "chat", "dns")
      .put("dns", new JsonObject().put("upstreams", new JsonArray().add(dns.address())))
      .encode()), Map.of());
    worker.awaitLine("node worker: started", START);
    edgeHttps = edge.port("https", START);
    edgeHttp = edge.port("http", START);
    edgeUdp = edge.port("udp", START);
    edgeChat = edge.port("chat", START);
    workerChat = worker.port("chat", START);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.get().toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,800");
    options.setAcceptInsecureCerts(true); // the node's self-signed development certificate
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(driver.get().toFile())
      .usingAnyFreePort()
      .withLogFile(Path.of("target", "it-logs", "chromedriver.log").toFile())
      .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(PAGE);
  }

  @AfterAll
  @Timeout(90)
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    for (VxnetProcess node : new VxnetProcess[] {worker, edge}) {
      if (node != null) {
        node.close();
      }
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(1)
  @Timeout(120)
  void thePageShowsEveryNodeOfTheCluster() {
    browser.get("https://127.0.0.1:" + edgeHttps + "/dashboard");
    assertEquals("https://127.0.0.1:" + edgeHttps + "/dashboard/", browser.getCurrentUrl(), "/dashboard moves to its directory");
    awaitPage("both nodes up", () -> "up".equals(nodeState("edge")) && "up".equals(nodeState("worker")));
    assertEquals("live", text(By.id("connection")));
    assertEquals("2 up", summary("nodes"));
    assertEquals("1/1", cell("edge", "https", "instances"));
    assertEquals("1/1", cell("worker", "dns", "instances"));
  }

  @Test
  @Order(2)
  @Timeout(180)
  void theNumbersOnThePageMoveWithTraffic() throws Exception {
    long httpsBefore = number(cell("edge", "https", "total"));
    long dnsBefore = number(cell("worker", "dns", "total"));
    int updatesBefore = updates();
    try (LineClient alice = LineClient.chat(edgeChat, PAGE); LineClient bob = LineClient.chat(workerChat, PAGE);
         DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      alice.send("/nick alice");
      bob.send("/nick bob");
      Observed seen = new Observed();
      for (int round = 0; round < ROUNDS; round++) {
        seen.sample();
        List<Future<?>> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          requests.add(web.get(edgeHttps, "127.0.0.1", "/api/echo?round=" + round).send());
        }
        for (String name : List.of("www.vxnet.test", "www.vxnet.test", "mail.vxnet.test")) {
          requests.add(web.get(edgeHttps, "127.0.0.1", "/resolve").addQueryParam("name", name).addQueryParam("type", "A").send());
        }
        requests.add(web.get(edgeHttps, "127.0.0.1", "/api/fetch")
          .addQueryParam("url", "http://127.0.0.1:" + edgeHttp + "/get?round=" + round).send());
        byte[] datagram = ("ping " + round).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 5; i++) {
          udp.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), edgeUdp));
        }
        alice.send("hello " + round);
        bob.send("hi " + round);
        Future.all(requests).await(30, TimeUnit.SECONDS);
        if (round == ROUNDS - 2) {
          screenshot("dashboard.png", 1280); // while the traffic flows
        }
        int shown = updates();
        awaitPage("the next snapshot", () -> updates() > shown); // each round in its own interval: rates to see
      }
      seen.sample();
      awaitPage("the HTTPS total to grow by the requests sent", () -> number(cell("edge", "https", "total")) >= httpsBefore + ROUNDS * 10);
      awaitPage("the worker's DNS total to grow", () -> number(cell("worker", "dns", "total")) > dnsBefore);
      assertTrue(updates() >= updatesBefore + 5, "the page kept updating: " + updates() + " snapshots");
      assertTrue(seen.httpsRate > 0, "the HTTPS rate moved");
      assertTrue(seen.udpRate > 0, "the UDP datagram rate moved");
      assertTrue(seen.chatRate > 0, "the chat message rate moved");
      assertTrue(seen.httpsP99, "the HTTPS p99 showed a number");
      assertTrue(seen.dnsP99, "the DNS p99 showed a number");
      assertTrue(seen.hitRatio, "a DNS cache hit ratio showed");
      assertTrue(summary("fetch-note").contains("reused"), summary("fetch-note"));
      awaitPage("the lobby with its two members, one on each node",
        () -> text(By.cssSelector("#rooms [data-room='lobby'] [data-field='members']")).equals("2")
          && text(By.cssSelector("#rooms [data-room='lobby'] [data-field='nodes']")).equals("edge, worker"));
    }
  }

  @Test
  @Order(3)
  @Timeout(60)
  void thePageFitsANarrowScreen() throws Exception {
    emulateWidth(390);
    try {
      awaitPage("the page to fit 390 px without scrolling sideways", () -> (Boolean) ((JavascriptExecutor) browser)
        .executeScript("return window.innerWidth === 390 && document.documentElement.scrollWidth <= 390"));
      screenshot("dashboard-narrow.png", 390);
    } finally {
      ((ChromeDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  @Test
  @Order(4)
  @Timeout(60)
  void theBrowserReportedNoError() {
    List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
      .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
      .map(LogEntry::getMessage)
      .toList();
    assertEquals(List.of(), errors, "console errors and warnings (a Content-Security-Policy violation is one)");
  }

  @Test
  @Order(5)
  @Timeout(120)
  void aKilledNodeIsMarkedGoneNotDropped() throws Exception {
    worker.kill();
    awaitPage("the worker marked gone", () -> "gone".equals(nodeState("worker")));
    String state = text(By.cssSelector("[data-node='worker'] [data-field='state']"));
    assertTrue(state.matches("gone since \\d\\d:\\d\\d:\\d\\d"), state);
    assertEquals("up", nodeState("edge"));
    assertEquals("1 up", summary("nodes"));
    assertEquals("1 gone", summary("nodes-note"));
    assertEquals("–", cell("worker", "dns", "rate"), "a gone node has no rate");
    screenshot("dashboard-node-gone.png", 1280);
  }

  /** What the page showed while the traffic flowed (each is 0 or "–" before it). */
  private final class Observed {
    double httpsRate;
    double udpRate;
    double chatRate;
    boolean httpsP99;
    boolean dnsP99;
    boolean hitRatio;

    void sample() {
      httpsRate = Math.max(httpsRate, rate(cell("edge", "https", "rate")));
      udpRate = Math.max(udpRate, rate(summary("udp-rate")));
      chatRate = Math.max(chatRate, rate(summary("chat-rate")));
      httpsP99 |= cell("edge", "https", "p99").matches("[0-9.,]+");
      dnsP99 |= cell("worker", "dns", "p99").matches("[0-9.,]+");
      hitRatio |= summary("dns-hit-ratio").matches("\\d+(\\.\\d)? %");
    }
  }

  // ---- the page ---------------------------------------------------------------------------------------------

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Waits until {@code check} holds on the page; fails naming what was awaited, with the page's text. */
  private void awaitPage(String what, Check check) {
    try {
      new WebDriverWait(browser, PAGE, Duration.ofMillis(200)).ignoring(RuntimeException.class).until(driver -> {
        try {
          return check.holds();
        } catch (Exception e) {
          return false;
        }
      });
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("waited " + PAGE.toSeconds() + " s for " + what + "; the page shows:\n"
        + browser.findElement(By.tagName("body")).getText());
    }
  }

  private String nodeState(String node) {
    return browser.findElement(By.cssSelector("[data-node='" + node + "']")).getAttribute("data-state");
  }

  private String cell(String node, String service, String field) {
    return text(By.cssSelector("[data-node='" + node + "'] [data-service='" + service + "'] [data-field='" + field + "']"));
  }

  private String summary(String key) {
    return text(By.cssSelector("[data-summary='" + key + "']"));
  }

  private String text(By selector) {
    return browser.findElement(selector).getText().trim();
  }

  private int updates() {
    return Integer.parseInt(browser.findElement(By.id("dashboard")).getAttribute("data-updates"));
  }

  /** A count as the page writes it: {@code 1,234}. */
  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  /** A rate as the page writes it: {@code 12.5 req/s}, {@code –} before the second snapshot. */
  private static double rate(String text) {
    String value = text.split(" ")[0].replace(",", "");
    return value.equals("–") ? 0 : Double.parseDouble(value);
  }

  /**
   * The whole page as a browser {@code width} CSS pixels wide shows it (Chrome's device metrics, so that the width is
   * not clamped to a desktop window's minimum), into target/, and into docs/ with -Dvxnet.docs.write=true.
   */
  private void screenshot(String name, int width) throws Exception {
    ChromeDriver chrome = (ChromeDriver) browser;
    emulateWidth(width);
    try {
      long height = (Long) chrome.executeScript("return document.documentElement.scrollHeight");
      Map<String, Object> shot = chrome.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
        "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.min(4000, height), "scale", 1)));
      Path target = Path.of("target", name);
      Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
      if (Boolean.getBoolean("vxnet.docs.write")) {
        Files.copy(target, Path.of("docs", name), StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      chrome.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  /** The page laid out for a screen {@code width} CSS pixels wide (800 high), until the override is cleared. */
  private void emulateWidth(int width) {
    ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
      Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", width < 600));
  }
}
