package dev.vxnet.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run: a Vert.x instance with --event-loops event loops, one {@link Worker} on each with its share of the
 * connections and of --count; every connection opened before the clock starts; the same start time for all; a
 * progress line each second; the totals once every worker is done (or at the hard bound of duration, warm-up and
 * twice the timeouts, past which what is still in flight is not waited for).
 */
final class LoadRun {

  /** What a run measured, and, when it could not load the server at all, why. */
  record Outcome(Totals totals, String fatal) {
  }

  private LoadRun() {
  }

  static Outcome run(Settings settings, Load load, Progress progress) throws InterruptedException {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(settings.eventLoops()))
      .withTransport(settings.ioTransport()).build();
    try {
      return run(vertx, settings, load, progress);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
    }
  }

  private static Outcome run(Vertx vertx, Settings settings, Load load, Progress progress) throws InterruptedException {
    List<Worker> workers = new ArrayList<>();
    int loops = settings.eventLoops();
    int perSession = settings.sessions() / settings.connections();
    int first = 0;
    for (int i = 0; i < loops; i++) {
      int connections = settings.connections() / loops + (i < settings.connections() % loops ? 1 : 0);
      long quota = settings.count() / loops + (i < settings.count() % loops ? 1 : 0);
      workers.add(new Worker(settings, load, first, connections * perSession, quota));
      first += connections * perSession;
    }
    List<Future<?>> deployed = new ArrayList<>();
    for (Worker worker : workers) {
      deployed.add(vertx.deployVerticle(worker));
    }
    Histogram latency = new Histogram(1, Worker.HIGHEST_NANOS, 3);
    try {
      await(Future.all(deployed), settings.connectTimeoutMs() + 30_000L);
    } catch (ExecutionException | TimeoutException e) {
      return new Outcome(new Totals(workers, latency), "cannot start: " + Load.describe(e.getCause() == null ? e : e.getCause()));
    }
    int open = workers.stream().mapToInt(Worker::openSessions).sum();
    if (open == 0) {
      return new Outcome(new Totals(workers, latency), "no connection to " + settings.target() + ": "
        + workers.get(0).firstErrors[ErrorKind.CONNECT.ordinal()]);
    }
    try {
      await(load.ready(vertx), settings.connectTimeoutMs() + 10_000L);
    } catch (ExecutionException | TimeoutException e) {
      return new Outcome(new Totals(workers, latency), Load.describe(e.getCause() == null ? e : e.getCause()));
    }

    long t0 = System.nanoTime();
    for (Worker worker : workers) {
      worker.eventLoop().runOnContext(go -> worker.go(t0));
    }
    Future<?> done = Future.all(workers.stream().map(Worker::done).toList());
    double bound = settings.durationS() > 0
      ? settings.warmupS() + settings.durationS() + 2 * (settings.timeoutMs() + settings.connectTimeoutMs()) / 1000.0 + 10
      : Double.MAX_VALUE;
    Histogram[] recycled = new Histogram[workers.size()];
    while (true) {
      try {
        await(done, 1_000);
        break;
      } catch (TimeoutException | ExecutionException e) {
        // a second has passed: show progress
      }
      double since = (System.nanoTime() - t0) / 1e9;
      collect(workers, recycled, latency);
      if (progress != null) {
        long operations = workers.stream().mapToLong(w -> w.operations).sum();
        long errors = workers.stream().mapToLong(w -> w.errors).sum();
        progress.show(since, settings.warmupS(), operations, errors,
          latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99) / 1000.0);
      }
      if (since > bound) {
        break;
      }
    }
    if (progress != null) {
      progress.clear();
    }
    List<Future<Void>> closed = new ArrayList<>();
    for (Worker worker : workers) {
      closed.add(Future.future(promise -> worker.eventLoop().runOnContext(close -> worker.closeSessions().onComplete(promise))));
    }
    try {
      await(Future.join(closed), 10_000);
    } catch (ExecutionException | TimeoutException e) {
      // closing is best effort: the counts are final
    }
    collect(workers, recycled, latency);
    return new Outcome(new Totals(workers, latency), null);
  }

  /** Adds what each worker recorded since the last call to {@code into}. */
  private static void collect(List<Worker> workers, Histogram[] recycled, Histogram into) {
    for (int i = 0; i < workers.size(); i++) {
      recycled[i] = workers.get(i).latency.getIntervalHistogram(recycled[i]);
      into.add(recycled[i]);
    }
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
