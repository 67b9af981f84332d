package dev.vxnet;

import dev.vxnet.bridge.SockJsBridge;
import dev.vxnet.bridge.tcp.BridgeVerticle;
import dev.vxnet.chat.ChatVerticle;
import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.config.Schema;
import dev.vxnet.config.Section;
import dev.vxnet.dns.DohRoutes;
import dev.vxnet.dns.resolver.DnsResolverVerticle;
import dev.vxnet.fetch.FetchRoutes;
import dev.vxnet.fetch.client.HttpFetcherVerticle;
import dev.vxnet.https.HttpVerticle;
import dev.vxnet.https.HttpsRoutes;
import dev.vxnet.https.HttpsServerVerticle;
import dev.vxnet.tcp.TcpEchoVerticle;
import dev.vxnet.udp.UdpEchoVerticle;
import dev.vxnet.web.RouteGroup;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every service MainVerticle can deploy, in deployment order, with its configuration section; and every group of HTTP
 * routes the web servers mount, in mount order. The only place that names every service: the services themselves
 * meet only on the event bus (docs/architecture.md).
 */
public final class Services {

  /** A service; {@code instancePolicy} may lower the instance count this node can actually run. */
  public record Service(Section config, Supplier<? extends Deployable> verticle, InstancePolicy instancePolicy) {

    Service(Section config, Supplier<? extends Deployable> verticle) {
      this(config, verticle, (vertx, requested) -> requested);
    }

    public String name() {
      return config.name();
    }

    int instances(Vertx vertx, int requested) {
      return instancePolicy.instances(vertx, requested);
    }
  }

  @FunctionalInterface
  public interface InstancePolicy {
    int instances(Vertx vertx, int requested);
  }

  /**
   * The route groups of every service, in the order the web servers mount them; each server mounts those for its
   * listener ({@link RouteGroup.Listener}). A new group joins here, not in the web servers.
   */
  public static final List<RouteGroup> ROUTES = List.of(
    SockJsBridge.ROUTES,
    HttpsRoutes.HEALTH,
    HttpsRoutes.ECHO,
    HttpsRoutes.STATS,
    DohRoutes.ROUTES,
    FetchRoutes.ROUTES);

  public static final List<Service> ALL = List.of(
    new Service(TcpEchoVerticle.CONFIG, TcpEchoVerticle::new),
    new Service(UdpEchoVerticle.CONFIG, UdpEchoVerticle::new, UdpEchoVerticle::instancesOn),
    new Service(ChatVerticle.CONFIG, ChatVerticle::new),
    new Service(DnsResolverVerticle.CONFIG, DnsResolverVerticle::new),
    new Service(HttpFetcherVerticle.CONFIG, HttpFetcherVerticle::new),
    new Service(HttpsServerVerticle.CONFIG, () -> new HttpsServerVerticle(ROUTES)),
    new Service(HttpVerticle.CONFIG, () -> new HttpVerticle(ROUTES)),
    new Service(BridgeVerticle.CONFIG, BridgeVerticle::new));

  private Services() {
  }

  /** The node and cluster sections (read by the launcher, never deployed), then one section per service. */
  public static Schema schema() {
    List<Section> sections = new ArrayList<>();
    sections.add(NodeConfig.SECTION);
    sections.add(ClusterSettings.SECTION);
    ALL.forEach(service -> sections.add(service.config()));
    return new Schema(sections);
  }
}
