package dev.vxnet.fetch.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gathering logic alone, with promises completed by the test in any order it likes. */
class GatherTest {

  @Test
  void keepsTaskOrderWhateverTheCompletionOrderAndNeverRunsMoreThanTheBound() {
    List<Promise<String>> started = new ArrayList<>();
    int[] running = {0};
    int[] maxRunning = {0};
    Future<List<String>> all = Gather.run(10, 3, i -> {
      Promise<String> promise = Promise.promise();
      started.add(promise);
      running[0]++;
      maxRunning[0] = Math.max(maxRunning[0], running[0]);
      return promise.future().onComplete(r -> running[0]--);
    }, failure -> "failed: " + failure.getMessage());
    assertEquals(3, started.size(), "three start at once");
    // Complete the newest running task first, again and again, until all are done.
    for (int done = 0; done < 10; done++) {
      Promise<String> newest = started.stream().filter(p -> !p.future().isComplete()).reduce((a, b) -> b).orElseThrow();
      int index = started.indexOf(newest);
      if (index == 4) {
        newest.fail("boom");
      } else {
        newest.complete("task " + index);
      }
    }
    assertTrue(all.isComplete());
    List<String> expected = new ArrayList<>(IntStream.range(0, 10).mapToObj(i -> "task " + i).toList());
    expected.set(4, "failed: boom");
    assertEquals(expected, all.result());
    assertEquals(3, maxRunning[0]);
  }

  @Test
  void tasksThatFinishAtOnceDoNotOverflowTheStack() {
    Future<List<Integer>> all = Gather.run(200_000, 2, Future::succeededFuture, failure -> -1);
    assertEquals(200_000, all.result().size());
    assertEquals(199_999, all.result().get(199_999));
  }

  @Test
  void aTaskThatThrowsBecomesAFailureResult() {
    Future<List<String>> all = Gather.run(2, 2, i -> {
      if (i == 0) {
        throw new IllegalStateException("thrown");
      }
      return Future.succeededFuture("fine");
    }, failure -> "failed: " + failure.getMessage());
    assertEquals(List.of("failed: thrown", "fine"), all.result());
  }

  @Test
  void nothingToGatherIsAnEmptyList() {
    assertEquals(List.of(), Gather.run(0, 1, i -> Future.succeededFuture("x"), f -> "y").result());
    assertThrows(IllegalArgumentException.class, () -> Gather.run(1, 0, i -> Future.succeededFuture("x"), f -> "y"));
  }
}
