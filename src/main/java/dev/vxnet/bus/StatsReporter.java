package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * Makes a verticle instance visible: answers every collection of counters ({@link Addresses#STATS_COLLECT}) through
 * the node's relay to its own verticles ({@link Addresses#STATS_NODE}) with its counters (and a node's manifest), exposes
 * the counters as meters when metrics are on ({@link CounterMeters}), and answers its service's health procedure
 * {@code vxnet.health.<service>} ({@link Addresses#health}). Verticles in other languages answer the same relay without
 * this class (docs/event-bus.md).
 */
public final class StatsReporter {

  private StatsReporter() {
  }

  /**
   * Register from the verticle's start: the consumers and meters then go away with the verticle (when it is undeployed,
   * its service's health procedure has one answerer fewer, and none once every instance is gone).
   */
  public static Future<Void> register(Vertx vertx, Counters counters) {
    CounterMeters.registry(vertx).ifPresent(registry -> {
      Runnable unbind = CounterMeters.bind(registry, counters, Node.name(vertx));
      ((ContextInternal) vertx.getOrCreateContext()).addCloseHook(completion -> {
        unbind.run();
        completion.succeed();
      });
    });
    JsonObject healthy = new JsonObject().put("status", "UP").put("instance", counters.instance());
    Future<Void> health = vertx.eventBus().<Object>localConsumer(Addresses.health(counters.service()),
      message -> message.reply(healthy)).completion();
    Future<Void> stats = vertx.eventBus().<JsonObject>localConsumer(Addresses.STATS_NODE, message -> {
      String replyTo = message.body().getString("replyTo");
      vertx.eventBus().send(replyTo, instanceAnswer(counters).put("node", message.body().getString("node")));
    }).completion();
    return Future.all(health, stats).mapEmpty();
  }

  /** One instance's answer: its counters, and its latency windows and details where it has them. */
  static JsonObject instanceAnswer(Counters counters) {
    JsonObject answer = new JsonObject()
      .put("service", counters.service())
      .put("instance", counters.instance())
      .put("counters", counters.toJson());
    JsonObject latency = counters.latencyJson();
    if (!latency.isEmpty()) {
      answer.put("latency", latency);
    }
    JsonObject details = counters.detailsJson();
    if (!details.isEmpty()) {
      answer.put("details", details);
    }
    return answer;
  }

  /**
   * Answers every collection with this node's {@code manifest} (what it deployed, so that the gatherer knows which
   * answers to wait for) and relays it, with this node's name, to the node's own verticles.
   */
  static Future<Void> answerCollections(Vertx vertx, Supplier<JsonObject> manifest) {
    String node = Node.name(vertx);
    DeliveryOptions thisNodeOnly = new DeliveryOptions().setLocalOnly(true);
    return vertx.eventBus().<JsonObject>consumer(Addresses.STATS_COLLECT, message -> {
      String replyTo = message.body() == null ? null : message.body().getString("replyTo");
      if (replyTo != null && replyTo.startsWith(Addresses.STATS_REPLY_PREFIX)) {
        vertx.eventBus().send(replyTo, manifest.get().put("node", node));
        vertx.eventBus().publish(Addresses.STATS_NODE, new JsonObject().put("replyTo", replyTo).put("node", node), thisNodeOnly);
      }
    }).completion();
  }
}
