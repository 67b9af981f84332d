package dev.vxnet.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The last route: nothing answered the request. If routes exist for its path with other methods, 405 with those
 * in {@code Allow}; otherwise 404. The routes are read from the router when the request comes, so routes mounted by
 * other services are covered. (vertx-web's own 405 detection is lost once a route for every path, such as the
 * static files, has matched; hence this.) Exact paths ({@code /a/b}), prefixes ({@code /a/*}) and path parameters
 * ({@code /a/:id}) are understood; routes given as a bare regular expression are not listed.
 */
public final class NoMatchingRoute implements Handler<RoutingContext> {

  private final Router router;

  public NoMatchingRoute(Router router) {
    this.router = router;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!methodNotAllowed(ctx)) {
      Responses.notFound(ctx);
    }
  }

  /**
   * 405 when routes of {@code router} serve the request's path with other methods, else the next handler: lets the
   * redirecting plain HTTP server answer a wrong method on a path it serves itself (the test fixture's, {@code /health})
   * rather than redirect it.
   */
  public static Handler<RoutingContext> methodNotAllowedOrNext(Router router) {
    NoMatchingRoute routes = new NoMatchingRoute(router);
    return ctx -> {
      if (!routes.methodNotAllowed(ctx)) {
        ctx.next();
      }
    };
  }

  /** Answers 405 with {@code Allow} if routes serve the path with other methods; whether it did. */
  private boolean methodNotAllowed(RoutingContext ctx) {
    Set<HttpMethod> allowed = allowed(router, ctx.normalizedPath());
    if (allowed.isEmpty() || allowed.contains(ctx.request().method())) {
      return false;
    }
    Responses.methodNotAllowed(ctx, allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
    return true;
  }

  static Set<HttpMethod> allowed(Router router, String path) {
    Set<HttpMethod> methods = new TreeSet<>(Comparator.comparing(HttpMethod::name));
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> routeMethods = route.methods(); // null when the route takes every method
      if (routeMethods != null && !routeMethods.isEmpty() && matches(route, path)) {
        methods.addAll(routeMethods);
      }
    }
    return methods;
  }

  static boolean matches(Route route, String path) {
    String pattern = route.getPath();
    if (pattern == null) {
      return !route.isRegexPath(); // no path at all: every path
    }
    if (pattern.contains(":")) {
      StringBuilder regex = new StringBuilder();
      for (String segment : pattern.split("/", -1)) {
        regex.append(regex.length() == 0 && segment.isEmpty() ? "" : "/")
          .append(segment.startsWith(":") ? "[^/]+" : Pattern.quote(segment));
      }
      return path.matches(regex + (route.isExactPath() ? "/?" : ".*"));
    }
    if (route.isExactPath()) {
      return path.equals(pattern) || path.equals(pattern + "/");
    }
    return path.startsWith(pattern) || (pattern.endsWith("/") && path.equals(pattern.substring(0, pattern.length() - 1)));
  }
}
