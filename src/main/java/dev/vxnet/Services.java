package dev.vxnet;

import dev.vxnet.bridge.BridgeVerticle;
import dev.vxnet.chat.ChatVerticle;
import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.config.Schema;
import dev.vxnet.config.Section;
import dev.vxnet.dns.DnsResolverVerticle;
import dev.vxnet.fetch.HttpFetcherVerticle;
import dev.vxnet.https.HttpVerticle;
import dev.vxnet.https.HttpsServerVerticle;
import dev.vxnet.tcp.TcpEchoVerticle;
import dev.vxnet.udp.UdpEchoVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Every service MainVerticle can deploy, in deployment order, with its configuration section. */
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

  public static final List<Service> ALL = List.of(
    new Service(TcpEchoVerticle.CONFIG, TcpEchoVerticle::new),
    new Service(UdpEchoVerticle.CONFIG, UdpEchoVerticle::new, UdpEchoVerticle::instancesOn),
    new Service(ChatVerticle.CONFIG, ChatVerticle::new),
    new Service(DnsResolverVerticle.CONFIG, DnsResolverVerticle::new),
    new Service(HttpFetcherVerticle.CONFIG, HttpFetcherVerticle::new),
    new Service(HttpsServerVerticle.CONFIG, HttpsServerVerticle::new),
    new Service(HttpVerticle.CONFIG, HttpVerticle::new),
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
