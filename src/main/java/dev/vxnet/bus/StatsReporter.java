package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/** Answers every {@link Addresses#STATS_COLLECT}: with one verticle instance's counters, or a node's manifest. */
public final class StatsReporter {

  private StatsReporter() {
  }

  /** Register from the verticle's start: the consumer then goes away with the verticle. */
  public static Future<Void> register(Vertx vertx, Counters counters) {
    return answerCollections(vertx, () -> instanceAnswer(counters));
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

  /** Sends {@code answer}, with this node's name added, to the {@code replyTo} of every collection. */
  static Future<Void> answerCollections(Vertx vertx, Supplier<JsonObject> answer) {
    String node = Node.name(vertx);
    return vertx.eventBus().<JsonObject>consumer(Addresses.STATS_COLLECT, message -> {
      String replyTo = message.body() == null ? null : message.body().getString("replyTo");
      if (replyTo != null && replyTo.startsWith(Addresses.STATS_REPLY_PREFIX)) {
        vertx.eventBus().send(replyTo, answer.get().put("node", node));
      }
    }).completion();
  }
}
