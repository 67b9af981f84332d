package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/** Answers every {@link Addresses#STATS_COLLECT} with one verticle instance's counters. */
public final class StatsReporter {

  private StatsReporter() {
  }

  /** Register from the verticle's start: the consumer then goes away with the verticle. */
  public static Future<Void> register(Vertx vertx, Counters counters) {
    String node = Node.name(vertx);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.STATS_COLLECT, message -> {
      String replyTo = message.body() == null ? null : message.body().getString("replyTo");
      if (replyTo != null && replyTo.startsWith(Addresses.STATS_REPLY_PREFIX)) {
        vertx.eventBus().send(replyTo, new JsonObject()
          .put("node", node)
          .put("service", counters.service())
          .put("instance", counters.instance())
          .put("counters", counters.toJson()));
      }
    });
    return consumer.completion();
  }
}
