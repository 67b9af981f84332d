package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The per-request defaults and ceilings of the {@code fetch} section; requests may lower, never raise, them. */
record FetchLimits(long timeoutMs, long maxTimeoutMs, long responseBytes, long maxResponseBytes, int maxRedirects,
                   int batchMax, int batchConcurrency, int batchConcurrencyMax, long batchDeadlineMs, String userAgent) {

  /** From a completed {@code fetch} section; a default above its ceiling is a configuration error. */
  static FetchLimits from(JsonObject config) {
    FetchLimits limits = new FetchLimits(
      config.getInteger("timeout_ms"), config.getInteger("max_timeout_ms"),
      config.getInteger("response_bytes"), config.getInteger("max_response_bytes"),
      config.getInteger("max_redirects"),
      config.getInteger("batch_max"), config.getInteger("batch_concurrency"), config.getInteger("batch_concurrency_max"),
      config.getInteger("batch_deadline_ms"), config.getString("user_agent"));
    List<String> problems = new ArrayList<>();
    if (limits.timeoutMs > limits.maxTimeoutMs) {
      problems.add("fetch.timeout_ms: " + limits.timeoutMs + " is above fetch.max_timeout_ms (" + limits.maxTimeoutMs + ")");
    }
    if (limits.responseBytes > limits.maxResponseBytes) {
      problems.add("fetch.response_bytes: " + limits.responseBytes + " is above fetch.max_response_bytes ("
        + limits.maxResponseBytes + ")");
    }
    if (limits.batchConcurrency > limits.batchConcurrencyMax) {
      problems.add("fetch.batch_concurrency: " + limits.batchConcurrency + " is above fetch.batch_concurrency_max ("
        + limits.batchConcurrencyMax + ")");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return limits;
  }
}
