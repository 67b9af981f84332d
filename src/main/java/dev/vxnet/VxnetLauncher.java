package dev.vxnet;

import com.hazelcast.config.Config;
import dev.vxnet.cluster.ClusterMembership;
import dev.vxnet.cluster.ClusterSettings;
import dev.vxnet.cluster.HazelcastConfig;
import dev.vxnet.config.ConfigLoader;
import dev.vxnet.config.Describe;
import dev.vxnet.config.Settings;
import dev.vxnet.config.StartupException;
import dev.vxnet.load.LoadCommand;
import dev.vxnet.logging.LogSetup;
import dev.vxnet.logging.LoggingSettings;
import dev.vxnet.metrics.MetricsSettings;
import dev.vxnet.metrics.MetricsSetup;
import dev.vxnet.net.NodeTransport;
import dev.vxnet.verticles.Verticles;
import io.vertx.core.Completable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import sun.misc.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Vert.x's legacy {@code vertx run} launcher with vxnet's defaults: native transport preferred, {@code -instances N}
 * given to MainVerticle as every service's default instance count (instead of N competing MainVerticles), a
 * startup failure printed as one clear message with exit status 1, SIGTERM/SIGINT at any moment of the start or
 * afterwards as a stop with exit status 0 (readiness DOWN first, then on SIGTERM a lame-duck time, then the drain:
 * {@link ShutdownSequence}), and vxnet's own {@code help} and {@code version}. Logging (format, levels) and metrics are
 * set up from the configuration before Vert.x starts. The clustered event bus is switched on by {@code -cluster} or by
 * {@code cluster.enabled} from the configuration chain, read here before Vert.x starts, and runs Hazelcast as
 * {@code cluster.*} and conf/cluster.xml say.
 */
public final class VxnetLauncher extends Launcher {

  private static final Logger LOG = LoggerFactory.getLogger(VxnetLauncher.class);
  private static final int EXIT_BAD_ARGUMENTS = 2;
  /** Bound on reading and checking the configuration before Vert.x starts (names in cluster.* are resolved). */
  private static final long CONFIG_TIMEOUT_S = 60;

  private final boolean runsMainVerticle;
  private final Settings settings;
  private final ClusterSettings cluster;
  private final Config hazelcast;
  /** {@code node.transport}, checked before Vert.x starts; {@code null} when no configuration was read. */
  private final NodeTransport transport;
  /** The node's Vert.x once started; {@code null} while the configuration is read and Vert.x (or its cluster) starts. */
  private static volatile Vertx nodeVertx;
  /** Set by the first SIGINT/SIGTERM: failures that a stop causes (an undeployed start, a cut join) are not errors. */
  private static volatile boolean stopping;
  /** MainVerticle's start, once its deployment is asked for; {@code null} when another verticle runs alone. */
  private static volatile StartGate mainStart;
  /** {@code node.lame_duck_ms} once the configuration is read: how long {@code /ready} answers 503 on SIGTERM, ms. */
  private static volatile int lameDuckMs;

  VxnetLauncher(boolean runsMainVerticle, Settings settings, Config hazelcast, NodeTransport transport) {
    this.runsMainVerticle = runsMainVerticle;
    this.transport = transport;
    this.settings = settings;
    this.cluster = settings == null ? null : settings.get(ClusterSettings.SECTION);
    this.hazelcast = hazelcast;
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("load")) { // the measuring client, not a server: see docs/load.md
      System.exit(LoadCommand.run(List.of(args).subList(1, args.length), System.out, System.err));
    }
    LogSetup.prepare();
    startFaster();
    List<String> arguments = List.of(args);
    if (LaunchArguments.wantsHelp(arguments)) {
      System.out.print(help());
      System.exit(0);
    }
    if (LaunchArguments.wantsVersion(arguments)) {
      System.out.println(Version.describe());
      System.exit(0);
    }
    Optional<String> problem = LaunchArguments.problem(arguments);
    if (problem.isPresent()) {
      System.err.println("vxnet: " + problem.get());
      System.exit(EXIT_BAD_ARGUMENTS);
    }
    boolean runsMainVerticle = LaunchArguments.runsMainVerticle(arguments, MainVerticle.class.getName());
    Settings settings = null;
    Config hazelcast = null;
    NodeTransport transport = null;
    if (LaunchArguments.startsVertx(arguments)) {
      // First thing: from here on Ctrl-C or SIGTERM at any moment of the start means "stop", with exit status 0.
      Signal.handle(new Signal("TERM"), VxnetLauncher::stop);
      Signal.handle(new Signal("INT"), VxnetLauncher::stop);
      LOG.info("{}: starting, pid {}", Version.describe(), ProcessHandle.current().pid());
      try {
        settings = settings(arguments, runsMainVerticle);
        LogSetup.apply(settings.get(LoggingSettings.SECTION));
        lameDuckMs = settings.get(NodeSettings.SECTION).lameDuckMs();
        transport = NodeTransport.of(settings.get(NodeSettings.SECTION).transport());
        ClusterSettings cluster = settings.get(ClusterSettings.SECTION);
        if (cluster.enabled()) {
          hazelcast = HazelcastConfig.load(cluster);
          cluster.checkPortsFree();
        }
      } catch (StartupException e) {
        exitCannotStart(e.getMessage());
      }
    }
    List<String> effective = new ArrayList<>(LaunchArguments.withMainVerticle(arguments, MainVerticle.class.getName()));
    if (hazelcast != null && LaunchArguments.command(arguments).equals("run")
      && !LaunchArguments.flag(arguments, "cluster") && !LaunchArguments.flag(arguments, "ha")) {
      effective.add("-cluster"); // cluster.enabled came from the configuration: the run command only knows its flag
    }
    new VxnetLauncher(runsMainVerticle, settings, hazelcast, transport).dispatch(effective.toArray(String[]::new));
  }

  private static String help() {
    try (InputStream in = VxnetLauncher.class.getResourceAsStream("help.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      return "vxnet: the help text is missing from this build (dev/vxnet/help.txt)\n";
    }
  }

  /**
   * JVM-wide defaults that take work off the start, each unless the user set it (docs/profiles.md):
   * <ul>
   *   <li>{@code io.netty.jfr.enabled} false: netty's JFR events for its buffers (about a hundred JFR classes loaded at
   *   start; set it to true to record them);</li>
   *   <li>{@code keystore.pkcs12.keyPbeIterationCount} 1: Vert.x keeps each PEM key in an in-memory PKCS#12 key store
   *   under a password written in its source ({@code KeyStoreHelper.DUMMY_PASSWORD}), so the JDK's 10,000 PBKDF2
   *   rounds per key entry protect nothing there; they cost a third of a second of CPU per start (several entries per
   *   TLS listener). The JDK reads the property only when it writes a key entry (JDK {@code PKCS12KeyStore},
   *   "keystore.pkcs12.keyPbeIterationCount" in the {@code java.security} file): vxnet writes no PKCS#12 file, and a
   *   PKCS#12 file it reads ({@code https.pkcs12_path}) keeps the count it was written with.</li>
   * </ul>
   */
  static void startFaster() {
    defaultProperty("io.netty.jfr.enabled", "false");
    defaultProperty("keystore.pkcs12.keyPbeIterationCount", "1");
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  /**
   * The whole configuration, checked before the node's Vert.x (and its cluster) starts, so that a bad value stops the
   * start before any port is bound: the same chain and checks as MainVerticle's ({@link ConfigLoader#load}), run on a
   * Vert.x of its own that is closed again. The launcher's flags win in the {@code cluster} section: {@code -cluster}
   * (or {@code -ha}, or the {@code bare} command), {@code -cluster-host}, {@code -cluster-public-host},
   * {@code -cluster-port}. {@code -conf} is vxnet's configuration only when MainVerticle runs.
   *
   * @throws StartupException naming every problem
   */
  static Settings settings(List<String> args, boolean runsMainVerticle) {
    JsonObject launcherConfig = runsMainVerticle ? LaunchArguments.conf(args) : new JsonObject();
    JsonObject flags = new JsonObject();
    if (LaunchArguments.flag(args, "cluster") || LaunchArguments.flag(args, "ha") || LaunchArguments.command(args).equals("bare")) {
      flags.put("enabled", true);
    }
    LaunchArguments.value(args, "cluster-host").ifPresent(host -> flags.put("host", host));
    LaunchArguments.value(args, "cluster-public-host").ifPresent(host -> flags.put("public_host", host));
    LaunchArguments.value(args, "cluster-port").ifPresent(port -> flags.put("port", port));
    Object section = launcherConfig.getValue(ClusterSettings.SECTION.name());
    if (section == null) {
      launcherConfig.put(ClusterSettings.SECTION.name(), flags);
    } else if (section instanceof JsonObject keys) {
      keys.mergeIn(flags);
    }
    Vertx reader = Vertx.vertx();
    try {
      return ConfigLoader.load(reader, Services.schema(), launcherConfig).await(CONFIG_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new StartupException("configuration: not read within " + CONFIG_TIMEOUT_S + " s");
    } finally {
      reader.close();
    }
  }

  @Override
  public void beforeStartingVertx(VertxOptions options) {
    options.setPreferNativeTransport(true);
    if (hazelcast != null) {
      LOG.info("cluster {}: starting Hazelcast on {}:{}, joining through {}", cluster.name(),
        cluster.address().getHostAddress(), cluster.hazelcastPort(), cluster.members());
      // Explicit addresses: left alone, the event bus would pick an interface on its own (localhost in a container).
      options.getEventBusOptions()
        .setHost(cluster.address().getHostAddress())
        .setPort(cluster.port())
        .setClusterPublicHost(cluster.announcedHost());
    }
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    // TLS connections count against the node's connection limit from accept (NodeTransport)
    VertxBuilder builder = super.createVertxBuilder(options)
      .withTransport(transport != null ? transport : NodeTransport.of(options.getPreferNativeTransport()));
    if (settings != null) {
      builder = MetricsSetup.install(builder, options, settings.get(MetricsSettings.SECTION));
    }
    return hazelcast == null ? builder : builder.withClusterManager(new HazelcastClusterManager(hazelcast) {
      @Override
      public void join(Completable<Void> promise) {
        // A failed join becomes one line and exit status 1, not the legacy launcher's stack trace and status 11.
        super.join((nothing, failure) -> {
          if (failure != null && !stopping) {
            exitCannotStart("cluster: " + Describe.failure(failure));
          }
          promise.complete(nothing, failure);
        });
      }
    });
  }

  @Override
  public void afterStartingVertx(Vertx started) {
    nodeVertx = started;
    if (runsMainVerticle) {
      mainStart = StartGate.of(started); // before the deployment is asked for: a stop from now on waits for it
    }
    if (started.isClustered() && cluster != null && cluster.enabled()) {
      ClusterMembership.logAndWatch(started, cluster);
    }
  }

  @Override
  public void beforeDeployingVerticle(DeploymentOptions deployment) {
    if (runsMainVerticle && deployment.getInstances() > 1) {
      JsonObject config = deployment.getConfig() == null ? new JsonObject() : deployment.getConfig();
      JsonObject node = config.getJsonObject("node", new JsonObject()).put("instances", deployment.getInstances());
      deployment.setConfig(config.put("node", node)).setInstances(1);
    }
  }

  @Override
  public void handleDeployFailed(Vertx vertx, String mainVerticle, DeploymentOptions deployment, Throwable cause) {
    if (mainStart != null) {
      mainStart.ended(); // in case MainVerticle's start never ran
    }
    if (stopping) {
      return; // a stop ended the start: stop() exits with 0 once Vert.x is closed
    }
    if (cause instanceof StartupException) {
      printCannotStart(cause.getMessage());
    } else if (!runsMainVerticle) {
      // run groovy:x.groovy, run x.groovy, run a.Class: a missing script or class, a compile error, a failed start
      printCannotStart(mainVerticle + ": " + Verticles.describe(mainVerticle, cause));
    } else {
      LOG.error("vxnet: cannot start " + mainVerticle, cause);
    }
    exitAfterClose(vertx, 1);
  }

  /** One line for one problem; one line per problem, indented under a heading, for several. */
  private static void printCannotStart(String message) {
    System.err.println("vxnet: cannot start:" + (message.contains("\n") ? "\n  " + message.replace("\n", "\n  ") : " " + message));
  }

  private static void exitCannotStart(String message) {
    printCannotStart(message);
    System.exit(1);
  }

  /**
   * SIGINT or SIGTERM, at any moment: before Vert.x runs there is nothing to close (the configuration is being read, or
   * Hazelcast is joining), so the process ends at once, without the shutdown hooks that would only race the start;
   * afterwards a start in progress ends first ({@link StartGate}), then the node flips readiness, waits out the
   * lame-duck time on SIGTERM, drains and stops ({@link ShutdownSequence}). Exit status 0 either way; a second signal
   * while stopping changes nothing.
   */
  private static void stop(Signal signal) {
    synchronized (VxnetLauncher.class) {
      if (stopping) {
        return;
      }
      stopping = true;
    }
    Vertx running = nodeVertx;
    if (running == null) {
      LOG.info("SIG{} received while starting, before any service listens: exiting", signal.getName());
      LogSetup.flush();
      Runtime.getRuntime().halt(0);
    }
    String reason = "SIG" + signal.getName() + " received";
    long lameDuck = signal.getName().equals("TERM") ? lameDuckMs : 0; // Ctrl-C: someone at a terminal, not a balancer
    StartGate start = mainStart;
    if (start == null) {
      ShutdownSequence.run(running, 0, reason, lameDuck);
    } else {
      start.cancel().onComplete(ended -> ShutdownSequence.run(running, 0, reason, lameDuck));
    }
  }

  private static void exitAfterClose(Vertx vertx, int status) {
    ShutdownSequence.run(vertx, status, "cannot start", 0);
  }
}
