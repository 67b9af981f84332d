package dev.vxnet.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Scatter-gather of every service's counters across instances and nodes. Each node's {@code MainVerticle}
 * answers with a manifest (which services it runs, how many instances), each instance with its counters;
 * the gathering ends once every expected node and instance has answered, or at the timeout, and then
 * names what did not answer instead of hiding it.
 */
public final class StatsCollector {

  private final Vertx vertx;
  private final long timeoutMs;
  private final int expectedNodes;
  private final long startedNanos = System.nanoTime();
  private final Map<String, NodeAnswers> nodes = new TreeMap<>();
  private final Promise<JsonObject> result = Promise.promise();
  private MessageConsumer<JsonObject> consumer;
  private long timer;

  private StatsCollector(Vertx vertx, long timeoutMs, int expectedNodes) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.expectedNodes = expectedNodes;
  }

  /** Every node of the cluster (this one alone when not clustered) and every service instance on them. */
  public static Future<JsonObject> collect(Vertx vertx, long timeoutMs) {
    return collect(vertx, timeoutMs, Node.expectedNodes(vertx));
  }

  static Future<JsonObject> collect(Vertx vertx, long timeoutMs, int expectedNodes) {
    return new StatsCollector(vertx, timeoutMs, expectedNodes).start();
  }

  /** Sends a node's manifest ({@code {"tcp": 2, ...}}) in answer to every collect; MainVerticle calls it. */
  public static Future<Void> registerManifest(Vertx vertx, JsonObject manifest) {
    return StatsReporter.answerCollections(vertx, () -> new JsonObject().put("manifest", manifest));
  }

  /**
   * Answers {@link Addresses#STATS} requests ({@code {"timeout_ms": N}}, optional, 10..10000, default
   * {@code defaultTimeoutMs}) with a full collection, for clients that cannot scatter-gather themselves.
   */
  public static Future<Void> registerService(Vertx vertx, long defaultTimeoutMs) {
    return vertx.eventBus().<Object>consumer(Addresses.STATS, message -> {
      Object body = message.body();
      Object timeout = body instanceof JsonObject json ? json.getValue("timeout_ms") : null;
      if (body != null && !(body instanceof JsonObject)) {
        message.reply(ErrorReply.of(ErrorCode.BAD_REQUEST, "body: expected a JSON object or nothing"));
      } else if (timeout != null && !(timeout instanceof Integer t && t >= 10 && t <= 10_000)) {
        message.reply(ErrorReply.of(ErrorCode.BAD_REQUEST, "timeout_ms: expected an integer from 10 to 10000"));
      } else {
        collect(vertx, timeout == null ? defaultTimeoutMs : (Integer) timeout).onComplete(result -> message.reply(
          result.succeeded() ? result.result() : ErrorReply.of(ErrorCode.INTERNAL, "stats: " + result.cause().getMessage())));
      }
    }).completion();
  }

  private Future<JsonObject> start() {
    String replyTo = Addresses.STATS_REPLY_PREFIX + UUID.randomUUID();
    consumer = vertx.eventBus().consumer(replyTo, message -> answer(message.body()));
    timer = vertx.setTimer(timeoutMs, id -> finish());
    consumer.completion()
      .onSuccess(v -> vertx.eventBus().publish(Addresses.STATS_COLLECT, new JsonObject().put("replyTo", replyTo)))
      .onFailure(result::tryFail);
    return result.future();
  }

  private void answer(JsonObject body) {
    String node = body.getString("node", "?");
    NodeAnswers answers = nodes.computeIfAbsent(node, n -> new NodeAnswers());
    if (body.containsKey("manifest")) {
      answers.manifest = body.getJsonObject("manifest");
    } else {
      JsonObject instance = new JsonObject().put("instance", body.getString("instance")).put("counters", body.getJsonObject("counters"));
      for (String optional : List.of("latency", "details")) {
        if (body.getValue(optional) instanceof JsonObject value) {
          instance.put(optional, value);
        }
      }
      answers.instances.computeIfAbsent(body.getString("service", "?"), s -> new JsonArray()).add(instance);
    }
    if (allAnswered()) {
      finish();
    }
  }

  private boolean allAnswered() {
    long withManifest = nodes.values().stream().filter(n -> n.manifest != null).count();
    return withManifest >= expectedNodes && nodes.values().stream().allMatch(NodeAnswers::complete);
  }

  private void finish() {
    if (result.future().isComplete()) {
      return;
    }
    vertx.cancelTimer(timer);
    consumer.unregister();
    JsonArray problems = new JsonArray();
    JsonObject totals = new JsonObject();
    JsonArray nodeList = new JsonArray();
    nodes.forEach((name, answers) -> nodeList.add(answers.toJson(name, totals, problems)));
    long manifests = nodes.values().stream().filter(n -> n.manifest != null).count();
    if (manifests < expectedNodes) {
      problems.add((expectedNodes - manifests) + " of " + expectedNodes + " nodes did not answer within " + timeoutMs + " ms");
    }
    result.complete(new JsonObject()
      .put("complete", problems.isEmpty())
      .put("elapsed_ms", (System.nanoTime() - startedNanos) / 1_000_000)
      .put("nodes_expected", expectedNodes)
      .put("nodes_answered", manifests)
      .put("totals", totals)
      .put("nodes", nodeList)
      .put("problems", problems));
  }

  private final class NodeAnswers {
    JsonObject manifest;
    final Map<String, JsonArray> instances = new TreeMap<>();

    boolean complete() {
      return manifest != null && manifest.fieldNames().stream()
        .allMatch(service -> answered(service) >= manifest.getInteger(service, 0));
    }

    int answered(String service) {
      JsonArray list = instances.get(service);
      return list == null ? 0 : list.size();
    }

    JsonObject toJson(String name, JsonObject totals, JsonArray problems) {
      JsonObject services = new JsonObject();
      TreeMap<String, Integer> expected = new TreeMap<>();
      if (manifest != null) {
        manifest.forEach(e -> expected.put(e.getKey(), ((Number) e.getValue()).intValue()));
      } else {
        problems.add("node " + name + ": no manifest within " + timeoutMs + " ms (is its MainVerticle running?)");
      }
      instances.keySet().forEach(service -> expected.putIfAbsent(service, 0));
      expected.forEach((service, count) -> {
        JsonArray answeredInstances = instances.getOrDefault(service, new JsonArray());
        JsonObject sum = sum(answeredInstances);
        boolean ok = answeredInstances.size() >= count;
        if (!ok) {
          problems.add("node " + name + ": " + service + ": " + (count - answeredInstances.size()) + " of " + count
            + " instances did not answer within " + timeoutMs + " ms");
        }
        services.put(service, new JsonObject()
          .put("status", ok ? "ok" : "timeout")
          .put("instances_expected", count)
          .put("instances_answered", answeredInstances.size())
          .put("counters", sum)
          .put("instances", answeredInstances));
        JsonObject total = totals.getJsonObject(service, new JsonObject().put("instances", 0).put("counters", new JsonObject()));
        total.put("instances", total.getInteger("instances") + answeredInstances.size());
        add(total.getJsonObject("counters"), sum);
        totals.put(service, total);
      });
      return new JsonObject().put("node", name).put("services", services);
    }
  }

  private static JsonObject sum(JsonArray answers) {
    JsonObject sum = new JsonObject();
    answers.forEach(answer -> add(sum, ((JsonObject) answer).getJsonObject("counters", new JsonObject())));
    return sum;
  }

  /** Sums numbers by name, and groups ({@code {"upstreams": {"127.0.0.1:53": {...}}}}) member by member. */
  private static void add(JsonObject into, JsonObject counters) {
    counters.forEach(e -> {
      if (e.getValue() instanceof Number n) {
        into.put(e.getKey(), into.getLong(e.getKey(), 0L) + n.longValue());
      } else if (e.getValue() instanceof JsonObject group) {
        JsonObject sum = into.getJsonObject(e.getKey());
        if (sum == null) {
          sum = new JsonObject();
          into.put(e.getKey(), sum);
        }
        add(sum, group);
      }
    });
  }
}
