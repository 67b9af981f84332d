package dev.vxnet.support;

import dev.vxnet.MainVerticle;
import dev.vxnet.Services;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.metrics.MetricsSettings;
import dev.vxnet.metrics.MetricsSetup;
import dev.vxnet.net.Listening;
import dev.vxnet.net.NodeTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A vxnet node in this JVM: MainVerticle deployed with a config whose services all listen on port 0. */
public final class TestNode implements AutoCloseable {

  public final Vertx vertx;

  private TestNode(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Every listening service on port 0 of 127.0.0.1, then {@code overrides} merged in (deeply). */
  public static JsonObject config(JsonObject overrides) {
    JsonObject config = new JsonObject();
    for (Services.Service<?> service : Services.ALL) {
      if (service.section().key("port") != null) {
        config.put(service.name(), new JsonObject().put("host", "127.0.0.1").put("port", 0));
      }
    }
    // https on port 0 has no port known before binding: tests that follow a redirect deploy http themselves.
    config.getJsonObject("http").put("redirect_port", 8443);
    // The DNS listeners are keys of the dns section, which has no host and port of its own (it is a bus service too).
    config.put("dns", new JsonObject().put("do53_host", "127.0.0.1").put("do53_port", 0).put("dot_host", "127.0.0.1").put("dot_port", 0));
    return config.mergeIn(overrides, true);
  }

  /** Overrides that disable every service but {@code wanted}. */
  public static JsonObject only(String... wanted) {
    JsonObject overrides = new JsonObject();
    List<String> keep = List.of(wanted);
    for (Services.Service<?> service : Services.ALL) {
      if (!keep.contains(service.name())) {
        overrides.put(service.name(), new JsonObject().put("enabled", false));
      }
    }
    return overrides;
  }

  /**
   * The configuration of a node of a cluster on loopback, for the jar ({@code -conf}): named {@code name}, Hazelcast on
   * {@code hazelcastPort} with {@code members}, running only {@code services}, each on port 0 of 127.0.0.1.
   */
  public static JsonObject clustered(String name, int hazelcastPort, JsonArray members, String... services) {
    return new JsonObject()
      .put("node", new JsonObject().put("name", name))
      .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1")
        .put("hazelcast_port", hazelcastPort).put("members", members))
      .mergeIn(config(only(services)));
  }

  public static TestNode start(JsonObject overrides) throws Exception {
    return start(overrides, true);
  }

  /**
   * A node on the native epoll transport where it loads ({@code nativeTransport}), else on the JDK's NIO; with
   * {@link NodeTransport}, as the launcher builds it.
   */
  public static TestNode start(JsonObject overrides, boolean nativeTransport) throws Exception {
    return start(Vertx.builder().withTransport(NodeTransport.of(nativeTransport)).build(), overrides);
  }

  /** A node on the transport {@code node.transport} names (auto, epoll, io_uring, nio), as the launcher builds it. */
  public static TestNode startOn(String transport, JsonObject overrides) throws Exception {
    return start(Vertx.builder().withTransport(NodeTransport.of(transport)).build(), overrides);
  }

  /** {@link #start} on a Vert.x with metrics, as the launcher makes it with {@code metrics.enabled} (the default). */
  public static TestNode startWithMetrics(JsonObject overrides) throws Exception {
    VertxOptions options = new VertxOptions();
    return start(MetricsSetup.install(Vertx.builder(), options, new MetricsSettings(true, false))
      .withTransport(NodeTransport.of(true)).build(), overrides);
  }

  private static TestNode start(Vertx vertx, JsonObject overrides) throws Exception {
    try {
      vertx.deployVerticle(new MainVerticle(), new DeploymentOptions().setConfig(config(overrides)))
        .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw e;
    }
    return new TestNode(vertx);
  }

  /**
   * A port free right now, below the kernel's ephemeral range when there is room there. Needed when a port must be
   * known before binding (several instances sharing one, a redirect to it). A port from the ephemeral range (what
   * port 0 gives) can be taken by any test's outgoing connection before the server binds it; one was, once
   * ("address already in use" in CI).
   */
  public static int freePort() throws java.io.IOException {
    int low = ephemeralLow();
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100 && low > 20_000; attempt++) {
      int candidate = random.nextInt(20_000, low);
      try (java.net.ServerSocket socket = new java.net.ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (java.net.BindException taken) {
        // another process holds it: try another
      }
    }
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The first port of the kernel's ephemeral range (net.ipv4.ip_local_port_range), 32768 if it cannot be read. */
  private static int ephemeralLow() {
    try {
      return Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
        .trim().split("\\s+")[0]);
    } catch (java.io.IOException | RuntimeException e) {
      return 32_768;
    }
  }

  public int port(String service) {
    return Listening.port(vertx, service);
  }

  public JsonObject stats() throws Exception {
    return StatsCollector.collect(vertx, 2_000).await(10, TimeUnit.SECONDS);
  }

  /** The summed counters of {@code service} over all its instances on this node. */
  public JsonObject counters(String service) throws Exception {
    return stats().getJsonObject("totals").getJsonObject(service).getJsonObject("counters");
  }

  /**
   * The counters of {@code service} once {@code counter} has reached at least {@code atLeast}, polling for 10 s (a
   * poll itself may take up to 10 s more). For counters that move when a write completes: the UDP echo's
   * {@code datagrams_out} and the TCP echo's {@code bytes_out} are counted in the write's completion, which can run
   * after the client already holds the answer.
   */
  public JsonObject countersOnce(String service, String counter, long atLeast) {
    return Await.result(service + " " + counter + " at least " + atLeast, Duration.ofSeconds(10), () -> {
      JsonObject counters = counters(service);
      if (counters.getLong(counter) < atLeast) {
        throw new IllegalStateException(counter + " at " + counters.getLong(counter));
      }
      return counters;
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
