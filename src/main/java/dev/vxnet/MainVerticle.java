package dev.vxnet;

import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.config.ConfigLoader;
import dev.vxnet.config.Settings;
import dev.vxnet.config.StartupException;
import dev.vxnet.logging.AccessLog;
import dev.vxnet.logging.LoggingSettings;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.NodeTransport;
import dev.vxnet.verticles.VerticleSpec;
import dev.vxnet.verticles.Verticles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Loads and checks the whole configuration (every section and the checks between them), runs each enabled service's
 * preflight (certificate and web-root files) and compiles or loads each verticle of the {@code verticles} section, all
 * before anything binds a port, then deploys each enabled service with its settings and instance count, and then the
 * verticles, in their order. A failure undeploys what was deployed. A stop that comes meanwhile ends the start between
 * two phases ({@link StartGate}). The node is {@code STARTING} (not ready) until every service and verticle is
 * deployed, then {@code READY} ({@link Node.State}).
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);
  /** How long a {@code vxnet.stats} request waits for slow instances and nodes, unless it says otherwise. */
  private static final long STATS_TIMEOUT_MS = 1_000;

  private final List<String> deployed = new ArrayList<>();

  @Override
  public Future<?> start() {
    Node.setState(vertx, Node.State.STARTING);
    StartGate gate = StartGate.of(vertx);
    return gate.track(ConfigLoader.load(vertx, Services.schema(), config()).compose(settings -> deployAll(settings, gate)));
  }

  private Future<Void> deployAll(Settings settings, StartGate gate) {
    NodeSettings node = settings.get(NodeSettings.SECTION);
    String name = node.name() != null ? node.name() : Node.defaultName();
    Node.setName(vertx, name);
    Node.setShutdownTimeoutMs(vertx, node.shutdownTimeoutMs());
    AccessLog.configure(vertx, settings.get(LoggingSettings.SECTION));
    long openFiles = ConnectionLimit.openFilesLimit();
    int connections;
    try {
      connections = node.connectionLimit(openFiles);
    } catch (StartupException e) {
      return Future.failedFuture(e);
    }
    ConnectionLimit.setNodeLimit(vertx, connections);
    LOG.info("node {}: vxnet {}, transport {}; at most {} connections (open-files limit {}{})", name, Version.VXNET,
      transport(node.transport()), connections, openFiles, node.maxConnections() == 0 ? " less node.reserved_fds " + node.reservedFds() : "");
    // Preflights, then deployments, each all at once: the services are independent (they meet only on the event bus),
    // so their starts overlap (TLS, native libraries, class loading) instead of running one after another.
    List<Verticles.Prepared> verticles = new ArrayList<>();
    return unlessCancelled(gate, () -> {
        List<Future<Void>> preflights = new ArrayList<>();
        for (Services.Service<?> service : Services.ALL) {
          preflights.add(preflight(service, settings));
        }
        // join: each preflight has finished (they run side by side on worker threads) before their problems are told
        return Future.join(preflights).transform(all -> problems(preflights));
      })
      .compose(v -> unlessCancelled(gate, () -> prepareEach(settings.get(VerticleSpec.SECTION), verticles)))
      .compose(v -> unlessCancelled(gate, () -> {
        List<Future<Integer>> deployments = new ArrayList<>();
        for (Services.Service<?> service : Services.ALL) {
          deployments.add(deploy(service, settings, node));
        }
        // join: every deployment has finished, failed or not, before a failure undeploys those that started
        return Future.join(deployments).map(all -> manifest(deployments));
      }))
      // After every service: a verticle's start may already call the services it uses.
      .compose(manifest -> unlessCancelled(gate, () -> deployEach(verticles, node, manifest).map(manifest)))
      .compose(manifest -> StatsCollector.registerManifest(vertx, manifest).map(manifest))
      .compose(manifest -> StatsCollector.registerService(vertx, STATS_TIMEOUT_MS).map(manifest))
      .onSuccess(manifest -> {
        Node.setServices(vertx, List.copyOf(manifest.fieldNames()));
        Node.setState(vertx, Node.State.READY);
        LOG.info("node {}: started {}", name, manifest.encode());
      })
      .<Void>mapEmpty()
      .recover(failure -> undeployAll().transform(ignored -> Future.failedFuture(failure)));
  }

  /** A stop while starting ends the start between two phases, never under a deployment ({@link StartGate} says why). */
  private static <T> Future<T> unlessCancelled(StartGate gate, Supplier<Future<T>> phase) {
    return gate.cancelled() ? Future.failedFuture(new StartGate.Cancelled()) : phase.get();
  }

  /** Instances per deployed service, in the order of {@link Services#ALL}. */
  private static JsonObject manifest(List<Future<Integer>> deployments) {
    JsonObject manifest = new JsonObject();
    for (int i = 0; i < Services.ALL.size(); i++) {
      Integer instances = deployments.get(i).result();
      if (instances != null) {
        manifest.put(Services.ALL.get(i).name(), instances);
      }
    }
    return manifest;
  }

  /**
   * Every preflight's problem, one line each in the order of {@link Services#ALL} (so that the same bad files always
   * read the same), as one {@link StartupException}; a failure that is not a StartupException (a bug) as it is.
   */
  private static Future<Void> problems(List<Future<Void>> preflights) {
    List<String> problems = new ArrayList<>();
    for (Future<Void> preflight : preflights) {
      if (preflight.failed()) {
        if (!(preflight.cause() instanceof StartupException problem)) {
          return Future.failedFuture(preflight.cause());
        }
        problems.add(problem.getMessage());
      }
    }
    return problems.isEmpty() ? Future.succeededFuture() : Future.failedFuture(new StartupException(String.join("\n", problems)));
  }

  /** The checks of an enabled service that look beyond the configuration (its files), before any service binds. */
  private <S> Future<Void> preflight(Services.Service<S> service, Settings settings) {
    if (!settings.deployment(service.section()).enabled()) {
      return Future.succeededFuture();
    }
    return service.preflight().check(vertx, settings.get(service.section())).mapEmpty();
  }

  /** Deploys an enabled service; its instance count, or null when it is disabled. */
  private <S> Future<Integer> deploy(Services.Service<S> service, Settings settings, NodeSettings node) {
    Settings.Deployment deployment = settings.deployment(service.section());
    if (!deployment.enabled()) {
      LOG.info("{}: disabled", service.name());
      return Future.succeededFuture();
    }
    S serviceSettings = settings.get(service.section());
    int instances = service.instances(vertx, deployment.instances() != null ? deployment.instances() : node.instances());
    return vertx.deployVerticle(() -> service.verticle().apply(serviceSettings), new DeploymentOptions().setInstances(instances))
      .map(id -> {
        deployed.add(id);
        return instances;
      });
  }

  /** Compiles or loads each verticle of the {@code verticles} section, in order, into {@code prepared}; the first failure ends it. */
  private Future<Void> prepareEach(List<VerticleSpec> specs, List<Verticles.Prepared> prepared) {
    Future<Void> chain = Future.succeededFuture();
    for (VerticleSpec spec : specs) {
      chain = chain.compose(v -> Verticles.prepare(vertx, spec)).map(verticle -> {
        prepared.add(verticle);
        return null;
      });
    }
    return chain;
  }

  /** Deploys the prepared verticles one after another, in their order, adding those with a service name to the manifest. */
  private Future<Void> deployEach(List<Verticles.Prepared> verticles, NodeSettings node, JsonObject manifest) {
    Future<Void> chain = Future.succeededFuture();
    for (Verticles.Prepared verticle : verticles) {
      VerticleSpec spec = verticle.spec();
      int instances = spec.instances() != null ? spec.instances() : node.instances();
      chain = chain.compose(v -> Verticles.deploy(vertx, verticle, instances)).map(id -> {
        deployed.add(id);
        if (spec.service() != null) {
          manifest.put(spec.service(), instances);
        }
        LOG.info("{}: deployed {} x{}", spec.label(), spec.name(), instances);
        return null;
      });
    }
    return chain;
  }

  /** Undoes a half-finished start, newest first, so that a failed start leaves nothing listening. */
  private Future<Void> undeployAll() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployed.size() - 1; i >= 0; i--) {
      String id = deployed.get(i);
      chain = chain.transform(v -> vertx.undeploy(id));
    }
    return chain.transform(v -> Future.succeededFuture());
  }

  /** The start line's transport: which one, and with {@code auto} why a faster one was not taken. */
  private String transport(String choice) {
    String name = NodeTransport.nameOf(vertx);
    String ioUring = choice.equals("auto") ? NodeTransport.ioUringUnavailabilityCause().map(cause -> "; io_uring unavailable: " + cause)
      .orElse("") : "";
    return switch (name) {
      case "nio" -> "JDK NIO (native epoll unavailable: " + NodeTransport.epollUnavailabilityCause(vertx) + ioUring + ")";
      case "epoll" -> "native (epoll" + ioUring + ")";
      default -> "native (" + name + ")";
    };
  }
}
