package dev.vxnet;

import dev.vxnet.bus.Node;
import io.vertx.core.Vertx;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * How a node stops on SIGTERM or SIGINT: the one entry point of the graceful stop. Steps, in order:
 * <ol>
 *   <li>(a readiness flip, {@code /ready} answering 503, belongs here: before the drain, so that load balancers stop
 *       sending while in-flight work finishes)</li>
 *   <li>the drain: {@code vertx.close()} undeploys every verticle, and each service's {@code stop()} first stops
 *       accepting and lets in-flight exchanges finish within {@code node.shutdown_timeout_ms} (TCP echo: what the
 *       client sent comes back; HTTP: the response in progress, HTTP/2 streams after GOAWAY; chat and bridge: told and
 *       closed), then Vert.x closes what is left, leaves the cluster and stops;</li>
 *   <li>exit with the given status, or with 1 if all this took more than {@code node.shutdown_timeout_ms} plus
 *       {@link #CLOSE_MARGIN_MS} for undeploying and leaving the cluster.</li>
 * </ol>
 * docs/limits.md describes it for users.
 */
final class ShutdownSequence {

  private static final Logger LOG = Logger.getLogger("vxnet");
  /** Time beyond the drain for undeploying, closing and leaving the cluster, ms. */
  static final long CLOSE_MARGIN_MS = 5_000;

  private ShutdownSequence() {
  }

  /** Runs the sequence on a thread of its own and exits the JVM with {@code status}; returns at once. */
  static void run(Vertx vertx, int status, String reason) {
    Thread closer = new Thread(() -> {
      if (vertx == null) {
        System.exit(status);
      }
      long started = System.nanoTime();
      long drainMs = Node.drainTimeoutMs(vertx);
      // A start that failed has said so in one line already; only a stop of a running node reports its drain.
      boolean report = status == 0;
      if (report) {
        LOG.info(() -> reason + ": draining (listeners closed to new connections; in-flight exchanges get up to "
          + drainMs + " ms, node.shutdown_timeout_ms)");
      }
      CountDownLatch closed = new CountDownLatch(1);
      vertx.close().onComplete(ar -> closed.countDown());
      try {
        if (!closed.await(drainMs + CLOSE_MARGIN_MS, TimeUnit.MILLISECONDS)) {
          System.err.println("vxnet: still closing " + (drainMs + CLOSE_MARGIN_MS) + " ms after the drain began "
            + "(node.shutdown_timeout_ms + " + CLOSE_MARGIN_MS + " ms), exiting anyway");
          Runtime.getRuntime().halt(status == 0 ? 1 : status);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (report) {
        LOG.info(() -> "stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms");
      }
      System.exit(status);
    }, "vxnet-shutdown");
    closer.start();
  }
}
