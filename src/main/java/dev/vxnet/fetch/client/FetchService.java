package dev.vxnet.fetch.client;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.ErrorReply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;

/** The two requests of the service, from message body to reply body: one fetch, or a batch gathered in order. */
final class FetchService {

  private final Fetcher fetcher;
  private final FetchLimits limits;
  private final LongAdder batches;

  FetchService(Fetcher fetcher, FetchLimits limits, Counters counters) {
    this.fetcher = fetcher;
    this.limits = limits;
    this.batches = counters.counter("batches");
  }

  Future<JsonObject> fetch(JsonObject json) {
    return one(json, "", Deadline.after(Long.MAX_VALUE, "no deadline"));
  }

  /** Each result is a response or an error, in request order; the batch itself fails only on a malformed batch. */
  Future<JsonObject> batch(JsonObject json) {
    long started = System.nanoTime();
    FetchBatch batch;
    Deadline deadline;
    try {
      batch = FetchBatch.parse(json, limits);
      deadline = Deadline.after(batch.deadlineMs(), "the batch's deadline_ms (" + batch.deadlineMs() + " ms)")
        .earliest(Deadline.after(FetchRequest.replyWithinMs(json, ""), "the batch's reply_within_ms"));
    } catch (FetchException e) {
      return Future.succeededFuture(e.toReply());
    }
    batches.increment();
    return Gather.run(batch.requests().size(), batch.concurrency(),
        i -> one(batch.requests().get(i), "requests[" + i + "].", deadline),
        failure -> ErrorReply.of(ErrorCode.INTERNAL, "fetch failed unexpectedly: " + failure))
      .map(results -> {
        long failed = results.stream().filter(ErrorReply::isError).count();
        return new JsonObject()
          .put("results", new JsonArray(results))
          .put("totals", new JsonObject()
            .put("requests", results.size())
            .put("ok", results.size() - failed)
            .put("failed", failed)
            .put("concurrency", batch.concurrency())
            .put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
      });
  }

  /** One request under the earliest of its own timeout, its caller's wait limit and {@code outer}. */
  private Future<JsonObject> one(JsonObject json, String prefix, Deadline outer) {
    try {
      if (outer.passed()) {
        throw new FetchException(ErrorCode.TIMEOUT, prefix + "not started: " + outer.limit() + " had passed");
      }
      FetchRequest request = FetchRequest.parse(json, prefix, limits);
      Deadline deadline = Deadline.after(request.timeoutMs(), prefix + "timeout_ms (" + request.timeoutMs() + " ms)")
        .earliest(Deadline.after(FetchRequest.replyWithinMs(json, prefix), prefix + "reply_within_ms"))
        .earliest(outer);
      return fetcher.fetch(request, deadline);
    } catch (FetchException e) {
      fetcher.refused(e);
      return Future.succeededFuture(e.toReply());
    }
  }
}
