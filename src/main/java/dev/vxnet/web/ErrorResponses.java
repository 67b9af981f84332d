package dev.vxnet.web;

import dev.vxnet.bus.ErrorReply;
import io.vertx.core.Future;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every error answer of the web server: JSON ({@code {"error":{"code":"NOT_FOUND","message":"..."}}}, the shape of
 * every vxnet service) for API clients, a small HTML page for the others. API clients are requests under
 * {@code /api/} and those whose {@code Accept} header prefers {@code application/json} (or {@code +json}) to
 * {@code text/html}. The code is the status's reason phrase in upper snake case.
 */
public final class ErrorResponses {

  /** Context key: this request's errors are JSON whatever it accepts (set by {@link #preferJson}). */
  private static final String JSON_ERRORS = "vxnet.json-errors";

  private static final Logger LOG = Logger.getLogger("vxnet");

  private ErrorResponses() {
  }

  /** Completes once the answer is written (or failed to be). */
  public static Future<Void> send(RoutingContext ctx, int status, String message) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset(); // too late for a status: abort the response rather than append to it
      return Future.succeededFuture();
    }
    response.setStatusCode(status);
    String code = code(status);
    if (Boolean.TRUE.equals(ctx.get(JSON_ERRORS)) || wantsJson(ctx.request().path(), ctx.request().getHeader(HttpHeaders.ACCEPT))) {
      return Replies.end(ctx, "application/json", ErrorReply.of(code, message).encode());
    }
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    return Replies.end(ctx, "text/html; charset=utf-8", "<!doctype html>\n<html><head><title>" + status + " " + reason + "</title></head>\n<body><h1>" + status
      + " " + reason + "</h1>\n<p>" + escape(message) + "</p></body></html>\n");
  }

  /** Marks {@code ctx} as a machine API request: its error answers are JSON whatever its {@code Accept} header says. */
  public static void preferJson(RoutingContext ctx) {
    ctx.put(JSON_ERRORS, true);
  }

  /** 405 with the {@code Allow} header the HTTP spec requires. */
  public static void methodNotAllowed(RoutingContext ctx, String allow) {
    ctx.response().putHeader(HttpHeaders.ALLOW, allow);
    send(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.request().path() + "; allowed: " + allow);
  }

  public static void notFound(RoutingContext ctx) {
    send(ctx, 404, "no route or file for " + ctx.request().method() + " " + ctx.request().path());
  }

  /** The failure handler: a handler called {@code ctx.fail(...)} or threw. */
  public static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (status < 400 || status > 599) {
      status = 500;
    }
    String message;
    if (failure instanceof HttpException http && http.getPayload() != null) {
      message = http.getPayload();
    } else if (status == 500) {
      LOG.log(Level.WARNING, "web: " + ctx.request().method() + " " + ctx.request().path() + " failed", failure);
      message = "internal error (logged on the server)";
    } else if (status == 413) {
      message = "request body larger than the server accepts";
    } else if (failure != null && failure.getMessage() != null) {
      message = failure.getMessage();
    } else {
      message = HttpResponseStatus.valueOf(status).reasonPhrase();
    }
    send(ctx, status, message);
  }

  static String code(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
  }

  /** JSON under /api/ or when Accept ranks a JSON type above text/html; HTML otherwise (browsers, {@code *}/{@code *}). */
  static boolean wantsJson(String path, String accept) {
    if (path.equals("/api") || path.startsWith("/api/")) {
      return true;
    }
    if (accept == null) {
      return false;
    }
    double json = 0;
    double html = 0;
    for (String item : accept.split(",")) {
      String[] parts = item.trim().split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = quality(parts);
      if (type.equals("application/json") || type.endsWith("+json")) {
        json = Math.max(json, q);
      } else if (type.equals("text/html")) {
        html = Math.max(html, q);
      }
    }
    return json > 0 && json > html;
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim();
      if (param.startsWith("q=")) {
        try {
          return Double.parseDouble(param.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
