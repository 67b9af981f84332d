import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.fetch.FetchRoutes;
import dev.vxnet.fetch.client.HttpFetcherVerticle;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.ServerContext;
import dev.vxnet.web.WebSettings;
import java.util.List;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Bench driver for bench/fetch-pool.sh, run from source against the fat jar:
 * {@code java -cp target/vxnet.jar bench/FetchBench.java MODE ...}
 *
 * <pre>
 *   gateway PORT CONFIG            fetcher + GET/POST /api/fetch and GET /stats on http://127.0.0.1:PORT (for wrk)
 *   batch URL N CONCURRENCY SECS WARMUP CONFIG   batches of N fetches of URL over the event bus for SECS seconds,
 *                                                after WARMUP seconds of the same, not counted
 * </pre>
 * CONFIG is the fetch section as JSON. Prints one result line as key=value pairs.
 */
public class FetchBench {

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Node.setName(vertx, "bench");
    String mode = args[0];
    JsonObject config = new JsonObject(args[args.length - 1]);
    vertx.deployVerticle(new HttpFetcherVerticle(), new DeploymentOptions().setConfig(config))
      .toCompletionStage().toCompletableFuture().get();
    StatsCollector.registerManifest(vertx, new JsonObject().put("fetch", 1)).toCompletionStage().toCompletableFuture().get();
    if (mode.equals("gateway")) {
      gateway(vertx, Integer.parseInt(args[1]));
    } else {
      batch(vertx, args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
        Integer.parseInt(args[5]));
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static void gateway(Vertx vertx, int port) throws Exception {
    Router router = Router.router(vertx);
    // As the web application mounts it: 30 s service timeout under a 120 s request deadline, default body limits.
    WebSettings web = new WebSettings(null, 8_192, 1 << 20, 20_000, 120_000, 120_000, 10_000, 1_000, 30_000, false);
    RouteGroup.mountAll(router, List.of(FetchRoutes.ROUTES), RouteGroup.Listener.APPLICATION, new ServerContext(vertx, "bench#1", web));
    router.get("/stats").handler(ctx -> StatsCollector.collect(vertx, 2_000)
      .onSuccess(stats -> ctx.json(stats.getJsonObject("totals").getJsonObject("fetch").getJsonObject("counters"))));
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    System.out.println("ready port=" + port);
  }

  private static void batch(Vertx vertx, String url, int n, int concurrency, int seconds, int warmup) throws Exception {
    JsonArray requests = new JsonArray();
    for (int i = 0; i < n; i++) {
      requests.add(new JsonObject().put("url", url));
    }
    JsonObject batch = new JsonObject().put("requests", requests).put("concurrency", concurrency);
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    do {
      runBatch(vertx, batch); // JIT warm-up, not counted
    } while (System.nanoTime() - warmupEnd < 0);
    JsonObject before = counters(vertx);
    long started = System.nanoTime();
    long ok = 0;
    long failed = 0;
    String firstError = "";
    while (System.nanoTime() - started < seconds * 1_000_000_000L) {
      JsonObject reply = runBatch(vertx, batch);
      JsonObject totals = reply.getJsonObject("totals");
      if (totals == null) {
        throw new IllegalStateException("batch failed: " + reply.encode());
      }
      ok += totals.getLong("ok");
      failed += totals.getLong("failed");
      if (firstError.isEmpty() && totals.getLong("failed") > 0) {
        firstError = reply.getJsonArray("results").stream().map(JsonObject.class::cast)
          .filter(r -> r.containsKey("error")).findFirst().map(r -> r.getJsonObject("error").getString("code")).orElse("");
      }
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    JsonObject after = counters(vertx);
    System.out.printf("fetches_s=%.0f ok=%d failed=%d first_error=%s connections_opened=%d secs=%.1f%n",
      ok / elapsed, ok, failed, firstError.isEmpty() ? "-" : firstError,
      after.getLong("connections_opened") - before.getLong("connections_opened"), elapsed);
  }

  private static JsonObject runBatch(Vertx vertx, JsonObject batch) throws Exception {
    return ServiceCall.request(vertx, Addresses.FETCH_BATCH, batch, 300_000).toCompletionStage().toCompletableFuture().get();
  }

  private static JsonObject counters(Vertx vertx) throws Exception {
    return StatsCollector.collect(vertx, 2_000).toCompletionStage().toCompletableFuture().get()
      .getJsonObject("totals").getJsonObject("fetch").getJsonObject("counters");
  }
}
