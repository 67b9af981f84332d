package dev.vxnet;

import dev.vxnet.bus.Node;
import dev.vxnet.logging.LogSetup;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a node stops on SIGTERM or SIGINT: the one entry point of the graceful stop. Steps, in order:
 * <ol>
 *   <li>the readiness flip: the node turns {@link Node.State#DRAINING}, so {@code /ready} answers 503; a node that was
 *       ready then keeps serving everything else for the lame-duck time ({@code node.lame_duck_ms} on SIGTERM, none on
 *       SIGINT), before the drain, so that load balancers stop sending while nothing is closed yet;</li>
 *   <li>the drain: {@code vertx.close()} undeploys every verticle, and each service's {@code stop()} first stops
 *       accepting and lets in-flight exchanges finish within {@code node.shutdown_timeout_ms} (TCP echo: what the
 *       client sent comes back; HTTP: the response in progress, HTTP/2 streams after GOAWAY; chat and bridge: told and
 *       closed), then Vert.x closes what is left, leaves the cluster and stops;</li>
 *   <li>exit with the given status, or with 1 if the drain and close took more than {@code node.shutdown_timeout_ms}
 *       plus {@link #CLOSE_MARGIN_MS} for undeploying and leaving the cluster.</li>
 * </ol>
 * docs/limits.md and docs/observability.md describe it for users.
 */
final class ShutdownSequence {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);
  /** Time beyond the drain for undeploying, closing and leaving the cluster, ms. */
  static final long CLOSE_MARGIN_MS = 5_000;

  private ShutdownSequence() {
  }

  /**
   * Runs the sequence on a thread of its own and exits the JVM with {@code status}; returns at once.
   *
   * @param lameDuckMs how long {@code /ready} answers 503 before the drain, ms (0: none); skipped when the node was not
   *                   ready (still starting, or no MainVerticle), since no balancer was sending to it
   */
  static void run(Vertx vertx, int status, String reason, long lameDuckMs) {
    Thread closer = new Thread(() -> {
      if (vertx == null) {
        LogSetup.flush();
        System.exit(status);
      }
      boolean wasReady = Node.state(vertx).orElse(null) == Node.State.READY;
      Node.setState(vertx, Node.State.DRAINING);
      if (wasReady && lameDuckMs > 0) {
        LOG.info("{}: /ready answers 503 for {} ms (node.lame_duck_ms) while every service still serves; the drain follows",
          reason, lameDuckMs);
        await(vertx, lameDuckMs);
      }
      long started = System.nanoTime();
      long drainMs = Node.drainTimeoutMs(vertx);
      // A start that failed has said so in one line already; only a stop of a running node reports its drain.
      boolean report = status == 0;
      if (report) {
        LOG.info("{}: draining (listeners closed to new connections; in-flight exchanges get up to {} ms, "
          + "node.shutdown_timeout_ms)", reason, drainMs);
      }
      CountDownLatch closed = new CountDownLatch(1);
      vertx.close().onComplete(ar -> closed.countDown());
      try {
        if (!closed.await(drainMs + CLOSE_MARGIN_MS, TimeUnit.MILLISECONDS)) {
          System.err.println("vxnet: still closing " + (drainMs + CLOSE_MARGIN_MS) + " ms after the drain began "
            + "(node.shutdown_timeout_ms + " + CLOSE_MARGIN_MS + " ms), exiting anyway");
          LogSetup.flush();
          Runtime.getRuntime().halt(status == 0 ? 1 : status);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (report) {
        LOG.info("stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
      }
      LogSetup.flush();
      System.exit(status);
    }, "vxnet-shutdown");
    closer.start();
  }

  /** Waits for a Vert.x timer of {@code millis}: the lame-duck time is the node's clock, like every other timeout. */
  private static void await(Vertx vertx, long millis) {
    CountDownLatch elapsed = new CountDownLatch(1);
    vertx.timer(millis, TimeUnit.MILLISECONDS).onComplete(ar -> elapsed.countDown());
    try {
      elapsed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
