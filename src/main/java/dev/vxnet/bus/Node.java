package dev.vxnet.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** Identity of this JVM in the cluster: a name set from {@code node.name}, shared by every verticle in it. */
public final class Node {

  private static final String MAP = "vxnet.node";
  /** The default of {@code node.shutdown_timeout_ms}. */
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Where a node managed by MainVerticle is in its life; readiness follows it. */
  public enum State {
    /** MainVerticle is deploying the services: not ready. */
    STARTING,
    /** Every service deployed: ready while their health procedures answer. */
    READY,
    /** Shutting down (SIGTERM): not ready, so that balancers stop sending before connections close. */
    DRAINING
  }

  private Node() {
  }

  public static void setState(Vertx vertx, State state) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put("state", state.name());
  }

  /** The node's state, or empty when no MainVerticle manages it (a service verticle deployed on its own). */
  public static java.util.Optional<State> state(Vertx vertx) {
    String value = vertx.sharedData().<String, String>getLocalMap(MAP).get("state");
    return java.util.Optional.ofNullable(value).map(State::valueOf);
  }

  /** Records the services MainVerticle deployed on this node, in deployment order (readiness checks each). */
  public static void setServices(Vertx vertx, List<String> services) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put("services", String.join(",", services));
  }

  /** The services deployed on this node by MainVerticle; empty before (or without) it. */
  public static List<String> services(Vertx vertx) {
    String value = vertx.sharedData().<String, String>getLocalMap(MAP).get("services");
    return value == null || value.isEmpty() ? List.of() : Arrays.asList(value.split(","));
  }

  public static void setName(Vertx vertx, String name) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put("name", name);
  }

  public static void setShutdownTimeoutMs(Vertx vertx, int millis) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put("shutdown_timeout_ms", String.valueOf(millis));
  }

  /** {@code node.shutdown_timeout_ms}, or {@code fallback} before the configuration is loaded. */
  public static int shutdownTimeoutMs(Vertx vertx, int fallback) {
    String value = vertx.sharedData().<String, String>getLocalMap(MAP).get("shutdown_timeout_ms");
    return value == null ? fallback : Integer.parseInt(value);
  }

  /**
   * How long a listener's drain may take when the node stops: {@code node.shutdown_timeout_ms}, or the key's default
   * (10 s) for a verticle deployed without MainVerticle. Listeners stop accepting at once, then in-flight exchanges get
   * this long before their connections are closed (docs/limits.md).
   */
  public static long drainTimeoutMs(Vertx vertx) {
    return shutdownTimeoutMs(vertx, DEFAULT_SHUTDOWN_TIMEOUT_MS);
  }

  public static String name(Vertx vertx) {
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(MAP);
    return map.computeIfAbsent("name", key -> defaultName());
  }

  /** {@code hostname-pid}: unique on one machine, readable in logs and in /api/stats. */
  public static String defaultName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /**
   * A short tag of this node within its cluster: the first 4 hex digits of the cluster's node id (a random UUID per
   * start), or empty when not clustered. For names that must differ between nodes, such as chat's guest names.
   */
  public static String shortId(Vertx vertx) {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal && internal.clusterManager() != null) {
      String id = internal.clusterManager().getNodeId().replace("-", "");
      return id.substring(0, Math.min(4, id.length()));
    }
    return "";
  }

  /** How many nodes should answer a cluster-wide question: the cluster's members, or this node alone. */
  public static int expectedNodes(Vertx vertx) {
    if (vertx.isClustered() && vertx instanceof VertxInternal internal && internal.clusterManager() != null) {
      return Math.max(1, internal.clusterManager().getNodes().size());
    }
    return 1;
  }
}
