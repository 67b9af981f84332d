package dev.vxnet;

import dev.vxnet.bus.Node;
import dev.vxnet.config.StartupException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import sun.misc.Signal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Vert.x's legacy {@code vertx run} launcher with vxnet's defaults: native transport preferred, {@code -instances N}
 * given to MainVerticle as every service's default instance count (instead of N competing MainVerticles), a
 * startup failure printed as one clear message with exit status 1, and SIGTERM/SIGINT as a graceful stop with
 * exit status 0.
 */
public final class VxnetLauncher extends Launcher {

  private static final Logger LOG = Logger.getLogger("vxnet");
  private static final int EXIT_BAD_ARGUMENTS = 2;

  private final boolean runsMainVerticle;
  private volatile Vertx vertx;

  VxnetLauncher(boolean runsMainVerticle) {
    this.runsMainVerticle = runsMainVerticle;
  }

  public static void main(String[] args) {
    Logging.configure();
    Optional<String> problem = LaunchArguments.problem(List.of(args));
    if (problem.isPresent()) {
      System.err.println("vxnet: " + problem.get());
      System.exit(EXIT_BAD_ARGUMENTS);
    }
    new VxnetLauncher(LaunchArguments.runsMainVerticle(List.of(args), MainVerticle.class.getName())).dispatch(args);
  }

  @Override
  public void beforeStartingVertx(VertxOptions options) {
    options.setPreferNativeTransport(true);
  }

  @Override
  public void afterStartingVertx(Vertx vertx) {
    this.vertx = vertx;
    Signal.handle(new Signal("TERM"), this::stopGracefully);
    Signal.handle(new Signal("INT"), this::stopGracefully);
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
    if (cause instanceof StartupException) {
      System.err.println("vxnet: cannot start:\n  " + cause.getMessage().replace("\n", "\n  "));
    } else {
      LOG.log(java.util.logging.Level.SEVERE, "vxnet: cannot start " + mainVerticle, cause);
    }
    exitAfterClose(vertx, 1);
  }

  private void stopGracefully(Signal signal) {
    LOG.info(() -> "SIG" + signal.getName() + " received: closing connections and undeploying");
    exitAfterClose(vertx, 0);
  }

  /** Closes Vert.x (servers stop accepting, connections close, verticles stop), bounded by node.shutdown_timeout_ms. */
  private static void exitAfterClose(Vertx vertx, int status) {
    Thread closer = new Thread(() -> {
      if (vertx == null) {
        System.exit(status);
      }
      long started = System.nanoTime();
      int timeoutMs = Node.shutdownTimeoutMs(vertx, 10_000);
      CountDownLatch closed = new CountDownLatch(1);
      vertx.close().onComplete(ar -> closed.countDown());
      try {
        if (!closed.await(timeoutMs, TimeUnit.MILLISECONDS)) {
          System.err.println("vxnet: still closing after " + timeoutMs + " ms (node.shutdown_timeout_ms), exiting anyway");
          Runtime.getRuntime().halt(status == 0 ? 1 : status);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      LOG.info(() -> "stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms");
      System.exit(status);
    }, "vxnet-shutdown");
    closer.start();
  }
}
