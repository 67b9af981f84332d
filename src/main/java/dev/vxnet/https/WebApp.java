package dev.vxnet.https;

import dev.vxnet.bridge.BridgeLimits;
import dev.vxnet.bridge.SockJsBridge;
import dev.vxnet.bus.Node;
import dev.vxnet.config.ConfigException;
import dev.vxnet.dns.DohRoutes;
import dev.vxnet.fetch.FetchRoutes;
import dev.vxnet.config.Key;
import dev.vxnet.fixture.FixtureRoutes;
import dev.vxnet.fixture.FixtureSettings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * The application served over HTTPS (and over plain HTTP when redirection is off): one router, assembled here in
 * the order requests meet it.
 */
final class WebApp {

  /** Keys of every server that serves this application (https, and http), then those of the fixture. */
  static final List<Key> KEYS = withFixture(
    Key.text("web_root", null, "Directory of static files; unset serves the page built into the jar."),
    Key.integer("max_header_bytes", 8_192, 1_024, 1 << 20,
      "Largest request head (request line and headers) accepted; larger gets 431."),
    Key.integer("max_body_bytes", 1 << 20, 0, Integer.MAX_VALUE, "Largest request body accepted; larger gets 413."),
    Key.integer("header_timeout_ms", 20_000, 10, 3_600_000,
      "A connection with no request in progress (new, or between requests) must deliver a request's complete headers "
        + "(and, for TLS, its handshake) within this time, or it is closed. Stops slowloris; also the keep-alive limit."),
    Key.integer("request_timeout_ms", 30_000, 10, 3_600_000,
      "From a request's headers to its answer's headers: a body still arriving then gets 408, a slow handler 503."),
    Key.integer("idle_timeout_ms", 120_000, 0, Integer.MAX_VALUE,
      "Close a connection with no bytes in either direction for this long; 0 = never."),
    Key.integer("echo_max_delay_ms", 10_000, 0, 3_600_000,
      "Largest `delay_ms` `/api/echo` accepts; must be below `request_timeout_ms`."),
    Key.integer("stats_timeout_ms", 1_000, 10, 60_000,
      "How long `/api/stats` waits for every service instance and node before reporting the silent ones; "
        + "below `request_timeout_ms`."),
    Key.integer("service_timeout_ms", 5_000, 10, 600_000,
      "Event-bus send timeout of calls from HTTP routes to other services (DNS, fetch); below `request_timeout_ms`."),
    Key.flag("eventbus_bridge", true,
      "Serve the SockJS event-bus bridge at `/eventbus` (the permitted addresses of docs/bridge.md, default limits)."));

  private static List<Key> withFixture(Key... own) {
    List<Key> keys = new ArrayList<>(List.of(own));
    keys.addAll(FixtureSettings.KEYS);
    return List.copyOf(keys);
  }

  /** The {@code compression} key, whose default differs between the servers. */
  static Key compression(boolean defaultValue, String why) {
    return Key.flag("compression", defaultValue, "Compress text answers (HTML, CSS, JSON, XML, JavaScript, SVG) with Brotli, "
      + "gzip or deflate as the request's `Accept-Encoding` allows; other types go out as they are. " + why);
  }

  private WebApp() {
  }

  /** A server's own keys, its {@link #compression} key, then {@link #KEYS}. */
  static Key[] keysAnd(List<Key> own, Key compression) {
    List<Key> keys = new ArrayList<>(own);
    keys.add(compression);
    keys.addAll(KEYS);
    return keys.toArray(Key[]::new);
  }

  /**
   * Checks between keys that the schema cannot express: whatever a request may wait for must end before the
   * request deadline would answer 503 in its place. {@code section} names the keys in the message.
   */
  static void validate(String section, JsonObject config) {
    int deadline = config.getInteger("request_timeout_ms");
    for (String key : List.of("echo_max_delay_ms", "stats_timeout_ms", "service_timeout_ms")) {
      if (config.getInteger(key) >= deadline) {
        throw new ConfigException(section + "." + key + ": must be below " + section + ".request_timeout_ms (" + deadline
          + "), got " + config.getInteger(key));
      }
    }
    FixtureSettings.from(section, config);
  }

  /** Adds the application's routes to {@code router} (from {@link WebServer#router()}, which counts each request). */
  static Router mount(Router router, Vertx vertx, JsonObject config, WebServer server, WebRoot webRoot) {
    StaticFiles files = new StaticFiles(vertx, webRoot.path());
    FixtureSettings fixture = FixtureSettings.from(server.service(), config);

    // Long-lived transports that bound their own bodies and timing: counted, but before the request deadline
    // and the body limit below.
    if (config.getBoolean("eventbus_bridge")) {
      SockJsBridge.mount(router, vertx, BridgeLimits.DEFAULTS);
    }
    FixtureRoutes.mountUpgrades(router, fixture);

    router.route().handler(new RequestDeadline(config.getInteger("request_timeout_ms")));
    // The fixture's catalogue (docs/fixture.md) before the body handler (its routes read bodies themselves, multipart
    // included) and before the static files: a catalogue path wins over a file of the same path.
    FixtureRoutes.mount(router, fixture, config.getInteger("max_body_bytes"));
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.getInteger("max_body_bytes")));

    router.route("/health").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(health(server.instance()));
    router.route("/api/echo/*").handler(new EchoHandler(config.getInteger("echo_max_delay_ms"), server.instance()));
    router.route("/api/stats").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(new StatsHandler(config.getInteger("stats_timeout_ms")));

    // Request/response routes of other services: before the static files and the 404/405 answers, so that those
    // cover them too. Each sees ctx.body() (up to max_body_bytes) and the request deadline, and calls its service
    // over the event bus with service_timeout_ms as the send timeout.
    DohRoutes.mount(router, vertx, config.getInteger("service_timeout_ms"));
    FetchRoutes.mount(router, vertx, config.getInteger("service_timeout_ms"));

    router.route("/about").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> files.serve(ctx, "/about.html"));
    router.route().handler(files); // "/" is the web root's index.html
    router.route().handler(new NoMatchingRoute(router)); // 405 or 404

    router.route().failureHandler(ErrorResponses::failure);
    return router;
  }

  /** {@code /health}: 200 while the server runs, with who answered. */
  static Handler<RoutingContext> health(String instance) {
    return ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Replies.end(ctx, "application/json",
        new JsonObject().put("status", "UP").put("node", Node.name(ctx.vertx())).put("instance", instance).encode() + "\n");
    };
  }
}
