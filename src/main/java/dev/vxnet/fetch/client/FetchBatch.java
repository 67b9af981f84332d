package dev.vxnet.fetch.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A validated batch: the request objects (each parsed when its turn comes, so that one bad request becomes one
 * {@code BAD_REQUEST} result and not the failure of the batch), the concurrency and the batch deadline.
 */
record FetchBatch(List<JsonObject> requests, int concurrency, long deadlineMs) {

  static final List<String> FIELDS = List.of("requests", "concurrency", "deadline_ms", "reply_within_ms");

  static FetchBatch parse(JsonObject json, FetchLimits limits) {
    JsonFields fields = new JsonFields(json, "");
    fields.refuseUnknown(FIELDS);
    if (!(fields.raw("requests") instanceof JsonArray array) || array.isEmpty()) {
      throw fields.bad("requests", "required: a non-empty list of request objects ({\"url\": ...})");
    }
    if (array.size() > limits.batchMax()) {
      throw fields.bad("requests", array.size() + " requests, at most " + limits.batchMax() + " (fetch.batch_max) per batch");
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject)) {
        throw fields.bad("requests[" + i + "]", "expected a request object ({\"url\": ...})");
      }
    }
    List<JsonObject> requests = array.stream().map(JsonObject.class::cast).toList();
    int concurrency = (int) fields.integer("concurrency", limits.batchConcurrency(), 1, limits.batchConcurrencyMax());
    long deadlineMs = fields.integer("deadline_ms", limits.batchDeadlineMs(), 1, limits.batchDeadlineMs());
    return new FetchBatch(requests, concurrency, deadlineMs);
  }
}
