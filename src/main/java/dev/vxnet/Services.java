package dev.vxnet;

import dev.vxnet.chat.ChatVerticle;
import dev.vxnet.config.Schema;
import dev.vxnet.config.Section;
import dev.vxnet.fetch.HttpFetcherVerticle;
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
    new Service(HttpFetcherVerticle.CONFIG, HttpFetcherVerticle::new));

  private Services() {
  }

  /** The node section followed by one section per service. */
  public static Schema schema() {
    List<Section> sections = new ArrayList<>();
    sections.add(NodeConfig.SECTION);
    ALL.forEach(service -> sections.add(service.config()));
    return new Schema(sections);
  }
}
