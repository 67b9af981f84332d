package dev.vxnet.dashboard;

import dev.vxnet.web.RouteGroup;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.List;

/**
 * The live dashboard (docs/dashboard.md): the page at {@code /dashboard/} and its event stream at
 * {@code /dashboard/events}. The page is plain HTML, CSS and JavaScript with a vendored chart library (uPlot), served
 * from the jar's {@code webroot/dashboard/} whatever {@code web_root} says, under a Content-Security-Policy that
 * allows this origin only.
 */
public final class DashboardRoutes {

  /** Where the page's files live on the classpath. */
  static final String RESOURCES = "webroot/dashboard";
  /** Only this origin's scripts, styles, images and connections; no frames, plugins, forms or base changes. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; object-src 'none'; base-uri 'none'; "
    + "form-action 'none'; frame-ancestors 'none'";
  /** How long browsers may reuse the page's files without asking, s: a new jar's page shows within a minute. */
  static final long MAX_AGE_SECONDS = 60;

  /** {@code GET /dashboard/events}: the snapshots, one a second ({@link DashboardFeed}); a transport, before the deadline. */
  public static final RouteGroup EVENTS = RouteGroup.transport("dashboard-events", List.of("/dashboard/events"), 0,
    (router, server) -> {
      DashboardFeed feed = new DashboardFeed(server.vertx(), DashboardFeed.MAX_QUEUED_BYTES);
      router.route("/dashboard/events").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(DashboardRoutes::securityHeaders).handler(feed::connect);
    });

  /** {@code GET /dashboard} (redirects to {@code /dashboard/}) and the page's files. */
  public static final RouteGroup PAGE = RouteGroup.requests("dashboard", List.of("/dashboard", "/dashboard/*"), 0,
    (router, server) -> {
      Handler<RoutingContext> files = StaticHandler.create(RESOURCES)
        .setDirectoryListing(false)
        .setIncludeHidden(false)
        .setMaxAgeSeconds(MAX_AGE_SECONDS);
      // vertx-web matches "/dashboard" for "/dashboard/" too: only the bare path moves to the directory
      router.routeWithRegex("^/dashboard$").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.redirect("/dashboard/"));
      router.route("/dashboard/*").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(DashboardRoutes::securityHeaders)
        .handler(ctx -> {
          // Sent as they are: Chromium refused a compressed favicon.svg from StaticHandler over HTTP/2
          // (content-length of the file beside content-encoding br: ERR_CONTENT_DECODING_FAILED; docs/dashboard.md)
          ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
          ctx.next();
        })
        .handler(files);
    });

  private DashboardRoutes() {
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
      .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
