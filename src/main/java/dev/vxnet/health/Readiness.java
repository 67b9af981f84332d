package dev.vxnet.health;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Node;
import dev.vxnet.config.Describe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

/**
 * Whether this node should get traffic, as vertx-health-check procedures: {@code node} (MainVerticle has deployed
 * everything and no SIGTERM has come), one per service MainVerticle deployed (its {@code vxnet.health.<service>}
 * procedure answers on this node within the timeout), and {@code cluster} when clustered (this node is a member).
 * A check that fails or times out is DOWN with the reason in its {@code data}; never an error of the procedure.
 */
public final class Readiness {

  private Readiness() {
  }

  /** Runs every check, each bounded by {@code timeoutMs}; the result is UP only when all are. */
  public static Future<CheckResult> check(Vertx vertx, long timeoutMs) {
    HealthChecks checks = HealthChecks.create(vertx);
    checks.register("node", promise -> node(vertx, promise));
    for (String service : Node.services(vertx)) {
      // The library's own timeout is a backstop: the send timeout ends the check first, as DOWN rather than an error.
      checks.register(service, timeoutMs + 1_000, promise -> service(vertx, service, timeoutMs, promise));
    }
    if (vertx.isClustered()) {
      checks.register("cluster", promise -> cluster(vertx, promise));
    }
    return checks.checkStatus();
  }

  private static void node(Vertx vertx, Promise<Status> promise) {
    JsonObject data = new JsonObject().put("node", Node.name(vertx));
    promise.complete(Node.state(vertx)
      .map(state -> new Status().setOk(state == Node.State.READY).setData(data.put("state", state.name().toLowerCase())))
      .orElseGet(() -> Status.OK(data.put("state", "unmanaged")))); // a service deployed on its own: nothing to wait for
  }

  private static void service(Vertx vertx, String service, long timeoutMs, Promise<Status> promise) {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs);
    vertx.eventBus().<JsonObject>request(Addresses.health(service), null, local).onComplete(reply -> promise.complete(
      reply.succeeded() ? Status.OK(reply.result().body())
        : Status.KO(new JsonObject().put("error", Addresses.health(service) + ": " + Describe.failure(reply.cause())))));
  }

  private static void cluster(Vertx vertx, Promise<Status> promise) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    JsonObject data = new JsonObject().put("members", manager.getNodes().size());
    promise.complete(manager.isActive() ? Status.OK(data) : Status.KO(data.put("error", "not a cluster member")));
  }
}
