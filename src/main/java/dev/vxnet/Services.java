package dev.vxnet;

import dev.vxnet.bridge.SockJsBridge;
import dev.vxnet.bridge.tcp.BridgeSettings;
import dev.vxnet.bridge.tcp.BridgeVerticle;
import dev.vxnet.chat.ChatSettings;
import dev.vxnet.chat.ChatVerticle;
import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Schema;
import dev.vxnet.config.Section;
import dev.vxnet.config.Settings;
import dev.vxnet.dashboard.DashboardRoutes;
import dev.vxnet.dns.DohRoutes;
import dev.vxnet.dns.resolver.DnsResolverVerticle;
import dev.vxnet.dns.resolver.DnsSettings;
import dev.vxnet.fetch.FetchRoutes;
import dev.vxnet.fetch.client.FetchSettings;
import dev.vxnet.fetch.client.HttpFetcherVerticle;
import dev.vxnet.fixture.FixtureRoutes;
import dev.vxnet.https.HttpSettings;
import dev.vxnet.https.HttpVerticle;
import dev.vxnet.https.HttpsRoutes;
import dev.vxnet.https.HttpsServerVerticle;
import dev.vxnet.https.HttpsSettings;
import dev.vxnet.https.ManagementSettings;
import dev.vxnet.https.ManagementVerticle;
import dev.vxnet.health.HealthRoutes;
import dev.vxnet.logging.LoggingSettings;
import dev.vxnet.metrics.MetricsRoutes;
import dev.vxnet.metrics.MetricsSettings;
import dev.vxnet.tcp.TcpEchoVerticle;
import dev.vxnet.tcp.TcpSettings;
import dev.vxnet.udp.UdpEchoVerticle;
import dev.vxnet.udp.UdpSettings;
import dev.vxnet.verticles.VerticleSpec;
import dev.vxnet.web.RouteGroup;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every service MainVerticle can deploy, in deployment order, with its configuration section; and every group of HTTP
 * routes the web servers mount, in mount order. The only place that names every service: the services themselves
 * meet only on the event bus (docs/architecture.md).
 */
public final class Services {

  /**
   * A service: its section, how to build one verticle instance from the section's settings, how many instances this
   * node can actually run ({@code instancePolicy} may lower the count asked for), and what to check before any
   * service binds a port ({@code preflight}: files the settings name, such as certificates).
   *
   * @param <S> the section's settings record
   */
  public record Service<S>(Section<S> section, Function<S, ? extends Deployable> verticle, InstancePolicy instancePolicy,
                           Preflight<S> preflight) {

    Service(Section<S> section, Function<S, ? extends Deployable> verticle) {
      this(section, verticle, (vertx, requested) -> requested, (vertx, settings) -> Future.succeededFuture());
    }

    Service(Section<S> section, Function<S, ? extends Deployable> verticle, InstancePolicy instancePolicy) {
      this(section, verticle, instancePolicy, (vertx, settings) -> Future.succeededFuture());
    }

    Service(Section<S> section, Function<S, ? extends Deployable> verticle, Preflight<S> preflight) {
      this(section, verticle, (vertx, requested) -> requested, preflight);
    }

    public String name() {
      return section.name();
    }

    int instances(Vertx vertx, int requested) {
      return instancePolicy.instances(vertx, requested);
    }
  }

  @FunctionalInterface
  public interface InstancePolicy {
    int instances(Vertx vertx, int requested);
  }

  /** Checks what the settings name outside the configuration (files), failing with a {@code StartupException}. */
  @FunctionalInterface
  public interface Preflight<S> {
    Future<?> check(Vertx vertx, S settings);
  }

  /**
   * The route groups of every service, in the order the web servers mount them; each server mounts those for its
   * listener ({@link RouteGroup.Listener}). A new group joins here, not in the web servers.
   */
  public static final List<RouteGroup> ROUTES = List.of(
    SockJsBridge.ROUTES,
    FixtureRoutes.UPGRADES,
    HealthRoutes.HEALTH,
    HealthRoutes.READY,
    MetricsRoutes.ROUTES,
    HttpsRoutes.ECHO,
    HttpsRoutes.STATS,
    DashboardRoutes.EVENTS,
    DashboardRoutes.PAGE,
    DohRoutes.ROUTES,
    FetchRoutes.ROUTES,
    FixtureRoutes.CATALOGUE); // last: its many paths are matched only by requests none of the others took

  public static final List<Service<?>> ALL = List.of(
    new Service<>(TcpSettings.SECTION, TcpEchoVerticle::new),
    new Service<>(UdpSettings.SECTION, UdpEchoVerticle::new, UdpEchoVerticle::instancesOn),
    new Service<>(ChatSettings.SECTION, ChatVerticle::new),
    new Service<>(DnsSettings.SECTION, DnsResolverVerticle::new, DnsResolverVerticle::preflight),
    new Service<>(FetchSettings.SECTION, HttpFetcherVerticle::new, HttpFetcherVerticle::preflight),
    new Service<>(HttpsSettings.SECTION, settings -> new HttpsServerVerticle(settings, ROUTES), HttpsServerVerticle::preflight),
    new Service<>(HttpSettings.SECTION, settings -> new HttpVerticle(settings, ROUTES), HttpVerticle::preflight),
    new Service<>(BridgeSettings.SECTION, BridgeVerticle::new),
    new Service<>(ManagementSettings.SECTION, settings -> new ManagementVerticle(settings, ROUTES)));

  private Services() {
  }

  /**
   * The node, cluster, logging and metrics sections (read by the launcher too, never deployed), then one section per
   * service, the {@code verticles} list, and the checks between sections.
   */
  public static Schema schema() {
    List<Section<?>> sections = new ArrayList<>();
    sections.add(NodeSettings.SECTION);
    sections.add(ClusterSettings.SECTION);
    sections.add(LoggingSettings.SECTION);
    sections.add(MetricsSettings.SECTION);
    ALL.forEach(service -> sections.add(service.section()));
    sections.add(VerticleSpec.SECTION);
    return new Schema(sections, List.of(HttpSettings::redirectPortFromHttps, ManagementSettings::metricsOnManagementPort,
      Services::verticleServiceNames));
  }

  /**
   * A {@code verticles[i].service} names its counters in /api/stats: not a built-in service's name, and not another
   * verticle's, or two sets of instances would be counted as one.
   */
  static Settings verticleServiceNames(Settings settings) {
    List<String> problems = new ArrayList<>();
    Map<String, String> taken = new HashMap<>();
    ALL.forEach(service -> taken.put(service.name(), "a built-in service's name"));
    for (VerticleSpec spec : settings.get(VerticleSpec.SECTION)) {
      if (spec.service() != null) {
        String other = taken.putIfAbsent(spec.service(), spec.label() + "'s too");
        if (other != null) {
          problems.add(spec.label() + ".service: \"" + spec.service() + "\" is " + other);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }
}
