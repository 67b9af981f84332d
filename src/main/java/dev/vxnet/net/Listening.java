package dev.vxnet.net;

import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Turns a failed bind into one line naming the service and address; logs and records a successful one. */
public final class Listening {

  private static final Logger LOG = LoggerFactory.getLogger(Listening.class);
  private static final String PORTS = "vxnet.ports";
  /**
   * Which service listens at each {@code host:port}, as asked and as bound, for metrics that only know the address.
   * For the whole JVM: two services cannot hold one address at once, so the latest bind is the live one.
   */
  private static final Map<String, String> SERVICES = new ConcurrentHashMap<>();

  private Listening() {
  }

  /**
   * A TCP service's server options: where to bind, TCP_NODELAY, and the idle timeout in ms (0 = none).
   */
  public static NetServerOptions serverOptions(String host, int port, boolean tcpNoDelay, int idleTimeoutMs) {
    return new NetServerOptions()
      .setHost(host)
      .setPort(port)
      .setTcpNoDelay(tcpNoDelay)
      .setIdleTimeout(idleTimeoutMs)
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** Listens on {@code host:port}; logs and records the bound port, or fails naming the service. */
  public static Future<NetServer> listen(Vertx vertx, String service, NetServer server, String host, int port) {
    return describe(server.listen(), service, host, port)
      .onSuccess(bound -> bound(vertx, service, host, bound.actualPort()));
  }

  /** Why a bind failed: a port in use said plainly, anything else as it came. */
  private static String bindFailure(Throwable failure) {
    String message = Describe.failure(failure);
    if (failure instanceof BindException || message.contains("Address already in use")) {
      return "address already in use (another process holds the port: choose another with the port key; a second "
        + "vxnet node on this machine moves every port with node.port_offset, e.g. VXNET_NODE_PORT_OFFSET=1)";
    }
    return message;
  }

  public static <T> Future<T> describe(Future<T> listen, String service, String host, int port) {
    record(service, host, port);
    return listen.recover(failure -> Future.failedFuture(new StartupException(
      service + ": cannot listen on " + host + ":" + port + ": " + bindFailure(failure))));
  }

  /** Logs the address actually bound and remembers the port (tests and port-0 users read it with {@link #port}). */
  public static void bound(Vertx vertx, String service, String host, int actualPort) {
    vertx.sharedData().<String, Integer>getLocalMap(PORTS).put(service, actualPort);
    SERVICES.put(host + ":" + actualPort, service);
    LOG.info(service + ": listening on " + host + ":" + actualPort);
  }

  /**
   * Records which service binds {@code host:port}, as Vert.x's metrics will label it (a negative port: Vert.x's
   * shared random port of one service). Port 0 is left out: every service asking for it would claim that address.
   */
  public static void record(String service, String host, int port) {
    if (port != 0) {
      SERVICES.put(host + ":" + port, service);
    }
  }

  /**
   * The service listening at {@code address} ({@code host:port} as Vert.x's metrics write it), or {@code ""} when
   * unknown.
   */
  public static String serviceAt(String address) {
    return SERVICES.getOrDefault(address, "");
  }

  /** Every port bound by a service of this Vert.x instance so far (TCP and UDP alike). */
  public static java.util.Set<Integer> ports(Vertx vertx) {
    return java.util.Set.copyOf(vertx.sharedData().<String, Integer>getLocalMap(PORTS).values());
  }

  /** How many services of this Vert.x instance have bound a port so far. */
  public static int portCount(Vertx vertx) {
    return vertx.sharedData().<String, Integer>getLocalMap(PORTS).size();
  }

  /** The port {@code service} bound in this Vert.x instance, or -1. */
  public static int port(Vertx vertx, String service) {
    Integer port = vertx.sharedData().<String, Integer>getLocalMap(PORTS).get(service);
    return port == null ? -1 : port;
  }

}
