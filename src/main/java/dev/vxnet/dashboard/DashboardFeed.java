package dev.vxnet.dashboard;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.LatencyWindow;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.web.Responses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * {@code GET /dashboard/events}: a {@code text/event-stream} (HTML Living Standard, server-sent events) of the
 * cluster's stats, one snapshot ({@link SnapshotHub#snapshot}) a second, for the dashboards connected to one web
 * server verticle instance. While the instance has at least one dashboard, it ticks every {@link #INTERVAL_MS} and
 * the node's instances take turns ({@link SnapshotHub#claimGather}) so that the node gathers
 * ({@link StatsCollector}) once per interval and publishes the snapshot locally on
 * {@link Addresses#DASHBOARD_SNAPSHOT}; with no dashboard connected, nothing ticks and nothing is gathered.
 *
 * <p>Bounded: at most {@link #MAX_CLIENTS} streams per instance (more get 429), and a browser that does not read is
 * dropped (its stream reset) once {@code maxQueuedBytes} wait to be written to it, rather than buffered without end.
 * Not thread-safe: used on its instance's event loop only.
 */
final class DashboardFeed {

  /** How often snapshots are gathered and sent, ms. */
  static final long INTERVAL_MS = 1_000;
  /** How long a gather waits for every node and instance, ms: it ends before the next one is due. */
  static final long GATHER_TIMEOUT_MS = 900;
  /** Most event streams one web server instance serves. */
  static final int MAX_CLIENTS = 64;
  /** Bytes written but not yet taken by a browser above which it is dropped: a few snapshots of a large cluster. */
  static final int MAX_QUEUED_BYTES = 1 << 20;
  /** What a browser waits before reconnecting, ms (the stream's {@code retry} field). */
  static final int RETRY_MS = 2_000;

  private static final Logger LOG = Logger.getLogger("vxnet");

  private final Vertx vertx;
  private final SnapshotHub hub;
  private final int maxQueuedBytes;
  /** Each open stream, with whom it goes to (for the log). */
  private final Map<HttpServerResponse, String> clients = new LinkedHashMap<>();
  private MessageConsumer<String> snapshots;
  private long timer = -1;

  DashboardFeed(Vertx vertx, int maxQueuedBytes) {
    this.vertx = vertx;
    this.hub = SnapshotHub.of(vertx);
    this.maxQueuedBytes = maxQueuedBytes;
  }

  /** The route's handler: opens a stream, sends the latest snapshot at once if there is one. */
  void connect(RoutingContext ctx) {
    if (clients.size() >= MAX_CLIENTS) {
      Responses.error(ctx, ErrorCode.LIMIT, "dashboard: this server instance already serves " + MAX_CLIENTS
        + " event streams; close another dashboard");
      return;
    }
    HttpServerResponse response = ctx.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    response.setChunked(true).setWriteQueueMaxSize(maxQueuedBytes);
    clients.put(response, String.valueOf(ctx.request().remoteAddress()));
    ctx.addEndHandler(ended -> leave(response)); // also when the browser goes away
    response.write("retry: " + RETRY_MS + "\n\n");
    String latest = hub.latest();
    if (latest != null) {
      send(response, frame(latest));
    }
    if (clients.size() == 1) {
      watch();
    }
  }

  /** Streams open on this instance. */
  int clients() {
    return clients.size();
  }

  private void leave(HttpServerResponse response) {
    if (clients.remove(response) != null && clients.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      snapshots.unregister();
      snapshots = null;
    }
  }

  private void watch() {
    snapshots = vertx.eventBus().localConsumer(Addresses.DASHBOARD_SNAPSHOT, message -> broadcast(message.body()));
    snapshots.completion().onSuccess(v -> {
      if (snapshots != null) {
        tick(); // the first snapshot without waiting an interval
        timer = vertx.setPeriodic(INTERVAL_MS, id -> tick());
      }
    });
  }

  private void tick() {
    if (!hub.claimGather(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS))) {
      return; // another instance of this node gathers this time
    }
    String node = Node.name(vertx);
    StatsCollector.collect(vertx, GATHER_TIMEOUT_MS)
      .map(gathered -> hub.snapshot(gathered, node, System.currentTimeMillis(), INTERVAL_MS, LatencyWindow.WINDOW_SECONDS))
      .onSuccess(snapshot -> vertx.eventBus().publish(Addresses.DASHBOARD_SNAPSHOT, snapshot,
        new DeliveryOptions().setLocalOnly(true)))
      .onFailure(failure -> LOG.warning(() -> "dashboard: gathering stats failed: " + failure));
  }

  private void broadcast(String snapshot) {
    String frame = frame(snapshot);
    for (HttpServerResponse response : List.copyOf(clients.keySet())) {
      send(response, frame);
    }
  }

  private void send(HttpServerResponse response, String frame) {
    if (response.closed() || response.ended()) {
      return;
    }
    if (response.writeQueueFull()) {
      String remote = clients.get(response);
      LOG.info(() -> "dashboard: dropped the event stream to " + remote + ", which does not read: more than "
        + maxQueuedBytes + " bytes waiting");
      leave(response);
      response.reset();
      return;
    }
    response.write(frame);
  }

  /** One server-sent event; the snapshot is one line of JSON. */
  static String frame(String snapshot) {
    return "data: " + snapshot + "\n\n";
  }

}
