package dev.vxnet.fetch.client;

import dev.vxnet.config.Values;

/** The per-request defaults and ceilings of the {@code fetch} section; requests may lower, never raise, them. */
record FetchLimits(long timeoutMs, long maxTimeoutMs, long responseBytes, long maxResponseBytes, int maxRedirects,
                   int batchMax, int batchConcurrency, int batchConcurrencyMax, long batchDeadlineMs, String userAgent) {

  /** From the {@code fetch} section's values; a default above its ceiling is a problem naming both keys. */
  static FetchLimits from(Values values) {
    FetchLimits limits = new FetchLimits(
      values.integer("timeout_ms"), values.integer("max_timeout_ms"),
      values.integer("response_bytes"), values.integer("max_response_bytes"),
      values.integer("max_redirects"),
      values.integer("batch_max"), values.integer("batch_concurrency"), values.integer("batch_concurrency_max"),
      values.integer("batch_deadline_ms"), values.text("user_agent"));
    atMost(values, "timeout_ms", limits.timeoutMs, "max_timeout_ms", limits.maxTimeoutMs);
    atMost(values, "response_bytes", limits.responseBytes, "max_response_bytes", limits.maxResponseBytes);
    atMost(values, "batch_concurrency", limits.batchConcurrency, "batch_concurrency_max", limits.batchConcurrencyMax);
    return limits;
  }

  private static void atMost(Values values, String key, long value, String ceilingKey, long ceiling) {
    if (value > ceiling) {
      values.problem(key, value + " is above " + values.name(ceilingKey) + " (" + ceiling + ")");
    }
  }
}
