package dev.vxnet.fetch.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * {@code asyncio.gather(..., return_exceptions=True)} with a concurrency bound: runs {@code count} tasks, at most
 * {@code concurrency} at a time, and completes with every outcome in task order. A failed task becomes a value
 * through {@code onFailure}; the gathering itself never fails. Single-threaded: call from one event loop.
 */
final class Gather<T> {

  private final int count;
  private final int concurrency;
  private final IntFunction<Future<T>> task;
  private final Function<Throwable, T> onFailure;
  private final Object[] results;
  private final Promise<List<T>> done = Promise.promise();
  private int next;
  private int running;
  private int finished;
  private boolean pumping;

  private Gather(int count, int concurrency, IntFunction<Future<T>> task, Function<Throwable, T> onFailure) {
    this.count = count;
    this.concurrency = concurrency;
    this.task = task;
    this.onFailure = onFailure;
    this.results = new Object[count];
  }

  static <T> Future<List<T>> run(int count, int concurrency, IntFunction<Future<T>> task, Function<Throwable, T> onFailure) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    Gather<T> gather = new Gather<>(count, concurrency, task, onFailure);
    if (count == 0) {
      return Future.succeededFuture(List.of());
    }
    gather.pump();
    return gather.done.future();
  }

  /** Starts tasks while there is room; a loop, not recursion, so that tasks that finish at once cannot overflow the stack. */
  private void pump() {
    pumping = true;
    while (running < concurrency && next < count) {
      int index = next++;
      running++;
      Future<T> outcome;
      try {
        outcome = task.apply(index);
      } catch (RuntimeException e) {
        outcome = Future.failedFuture(e);
      }
      outcome.onComplete(result -> finish(index, result.succeeded() ? result.result() : onFailure.apply(result.cause())));
    }
    pumping = false;
  }

  @SuppressWarnings("unchecked")
  private void finish(int index, T result) {
    results[index] = result;
    running--;
    finished++;
    if (finished == count) {
      done.complete((List<T>) Arrays.asList(results));
    } else if (!pumping) {
      pump();
    }
  }
}
