package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * Answers every collection of counters ({@link Addresses#STATS_COLLECT}): a node's manifest and its relay to the node's
 * own verticles ({@link Addresses#STATS_NODE}), and one verticle instance's counters. Verticles in other languages
 * answer the same relay without this class (docs/event-bus.md).
 */
public final class StatsReporter {

  private StatsReporter() {
  }

  /** Register from the verticle's start: the consumer then goes away with the verticle. */
  public static Future<Void> register(Vertx vertx, Counters counters) {
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.STATS_NODE, message -> {
      String replyTo = message.body().getString("replyTo");
      vertx.eventBus().send(replyTo, instanceAnswer(counters).put("node", message.body().getString("node")));
    }).completion();
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
