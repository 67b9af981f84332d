package dev.vxnet.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A group of HTTP routes that a service offers and the web servers mount without knowing the service: the list of
 * groups is declared next to the service registry ({@code Services.ROUTES}), in mount order. A group says where it
 * may be mounted ({@link Listener}), whether it is a long-lived transport or request/response ({@link Stage}), the
 * paths its routes live under and the largest request body they read; {@link #mountAll} applies those the same way on
 * every server and in every test that mounts the group.
 *
 * @param name          short name for logs and docs, e.g. {@code doh}
 * @param stage         where in the chain the group's routes go
 * @param listeners     the servers that mount the group
 * @param paths         vertx-web route paths ({@code /resolve}, {@code /eventbus/*}) that cover every route of the
 *                      group: the application puts the group's body limit (and error format) on exactly these
 * @param maxBodyBytes  largest request body the routes read, in bytes; for a {@link Stage#REQUEST} group the
 *                      server's {@code max_body_bytes} still caps it ({@link #SERVER_LIMIT}: that cap alone)
 * @param jsonErrors    error answers on these paths are JSON whatever the {@code Accept} header says (machine APIs
 *                      outside {@code /api/}, such as DoH)
 * @param enabled       whether a server with these settings mounts the group (e.g. {@code eventbus_bridge})
 * @param serverOptions what the group needs of the server's options (WebSocket frame limits), given the server's
 *                      settings, applied in list order
 * @param routes        adds the group's routes to the router; called once per server verticle instance
 */
public record RouteGroup(String name, Stage stage, Set<Listener> listeners, List<String> paths, long maxBodyBytes,
                         boolean jsonErrors, Predicate<WebSettings> enabled,
                         BiFunction<HttpServerOptions, WebSettings, HttpServerOptions> serverOptions,
                         BiConsumer<Router, ServerContext> routes) {

  /** Where in a server's chain a group's routes go. */
  public enum Stage {
    /** Long-lived transports (SockJS, WebSocket, SSE) that bound their own bodies and timing: before the request deadline. */
    TRANSPORT,
    /** Request/response routes: after the request deadline, each request body bounded by the group's limit. */
    REQUEST
  }

  /** The servers a group can be mounted on. */
  public enum Listener {
    /** The application: HTTPS, and plain HTTP when {@code http.redirect} is false. */
    APPLICATION,
    /** Plain HTTP while it redirects everything else to HTTPS (e.g. {@code /health}). */
    REDIRECTING_HTTP,
    /** The management port (https.ManagementVerticle), bound to loopback by default. */
    MANAGEMENT
  }

  /** {@link #maxBodyBytes} of a request/response group that takes the server's {@code max_body_bytes} as it is. */
  public static final long SERVER_LIMIT = Long.MAX_VALUE;

  /** A request/response group served by the application, errors negotiated, on every server setting. */
  public static RouteGroup requests(String name, List<String> paths, long maxBodyBytes, BiConsumer<Router, ServerContext> routes) {
    return new RouteGroup(name, Stage.REQUEST, EnumSet.of(Listener.APPLICATION), List.copyOf(paths), maxBodyBytes, false,
      settings -> true, (options, settings) -> options, routes);
  }

  /** A long-lived transport served by the application; {@code maxBodyBytes} bounds its polling (xhr) bodies. */
  public static RouteGroup transport(String name, List<String> paths, long maxBodyBytes, BiConsumer<Router, ServerContext> routes) {
    return new RouteGroup(name, Stage.TRANSPORT, EnumSet.of(Listener.APPLICATION), List.copyOf(paths), maxBodyBytes, false,
      settings -> true, (options, settings) -> options, routes);
  }

  /** This group on {@code servers} instead. */
  public RouteGroup on(Listener first, Listener... more) {
    return new RouteGroup(name, stage, EnumSet.of(first, more), paths, maxBodyBytes, jsonErrors, enabled, serverOptions, routes);
  }

  /** This group with JSON error answers whatever the client accepts. */
  public RouteGroup withJsonErrors() {
    return new RouteGroup(name, stage, listeners, paths, maxBodyBytes, true, enabled, serverOptions, routes);
  }

  /** This group mounted only on servers whose settings pass {@code condition}. */
  public RouteGroup enabledWhen(Predicate<WebSettings> condition) {
    return new RouteGroup(name, stage, listeners, paths, maxBodyBytes, jsonErrors, condition, serverOptions, routes);
  }

  /** This group, asking {@code options} of the server (applied only where the group is mounted). */
  public RouteGroup withServerOptions(UnaryOperator<HttpServerOptions> options) {
    return withServerOptions((given, settings) -> options.apply(given));
  }

  /** This group, asking of the server what {@code options} derives from the server's settings. */
  public RouteGroup withServerOptions(BiFunction<HttpServerOptions, WebSettings, HttpServerOptions> options) {
    return new RouteGroup(name, stage, listeners, paths, maxBodyBytes, jsonErrors, enabled, options, routes);
  }

  /** The body limit this group gets on a server with {@code settings}, in bytes. */
  public long bodyLimit(WebSettings settings) {
    return stage == Stage.TRANSPORT ? maxBodyBytes : Math.min(maxBodyBytes, settings.maxBodyBytes());
  }

  /**
   * Mounts the groups of {@code listener} that are enabled for the server's settings, in this order: the transports,
   * the request deadline, then each request/response group behind its own body limit. The caller adds what follows
   * (its own fallback routes, 404/405, the failure handler).
   */
  public static void mountAll(Router router, List<RouteGroup> groups, Listener listener, ServerContext context) {
    List<RouteGroup> mounted = mountedOn(groups, listener, context.settings());
    mounted.stream().filter(group -> group.stage == Stage.TRANSPORT).forEach(group -> group.mount(router, context));
    router.route().handler(new RequestDeadline(context.settings().requestTimeoutMs()));
    mounted.stream().filter(group -> group.stage == Stage.REQUEST).forEach(group -> group.mount(router, context));
  }

  /** {@code options} with what the groups mounted on {@code listener} ask of the server. */
  public static HttpServerOptions serverOptions(HttpServerOptions options, List<RouteGroup> groups, Listener listener,
                                                WebSettings settings) {
    HttpServerOptions result = options;
    for (RouteGroup group : mountedOn(groups, listener, settings)) {
      result = group.serverOptions.apply(result, settings);
    }
    return result;
  }

  private static List<RouteGroup> mountedOn(List<RouteGroup> groups, Listener listener, WebSettings settings) {
    return groups.stream().filter(group -> group.listeners.contains(listener) && group.enabled.test(settings)).toList();
  }

  /**
   * The group's entry on each of its paths (error format, then its body limit: vertx-web skips any later
   * BodyHandler once one has read the body), then its routes.
   */
  private void mount(Router router, ServerContext context) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit(context.settings()));
    Handler<RoutingContext> entry = jsonErrors ? ctx -> {
      Responses.preferJson(ctx);
      body.handle(ctx);
    } : body;
    paths.forEach(path -> router.route(path).handler(entry).handler(FormEscapes::check));
    routes.accept(router, context);
  }
}
