package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ErrorReply;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * How every route ends a response: {@link #end} with a body where HTTP allows one, and {@link #error}, the one writer
 * of error answers. An error answer is vxnet's error shape ({@code {"error":{"code":"NOT_FOUND","message":"..."}}},
 * {@link ErrorReply}) for API clients and a small HTML page for the others, always with {@code Cache-Control: no-store};
 * API clients are requests under {@code /api/}, requests of routes marked with {@link #preferJson}, and those whose
 * {@code Accept} header prefers {@code application/json} (or {@code +json}) to {@code text/html}. Nothing is written
 * for a client that is gone or already answered (a request deadline, a closed connection).
 */
public final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
  /** Context key: this request's errors are JSON whatever it accepts. */
  private static final String JSON_ERRORS = "vxnet.json-errors";
  /** Context key: the server's {@link WebSettings}. */
  private static final String SETTINGS = "vxnet.web-settings";
  /** Context key: the server's {@code client_aborts} counter. */
  private static final String CLIENT_ABORTS = "vxnet.client-aborts";

  private Responses() {
  }

  /** The client left, or the request was already answered (its deadline), while the answer was being made. */
  public static boolean gone(RoutingContext ctx) {
    return ctx.response().ended() || ctx.response().closed();
  }

  /**
   * Ends the response with {@code body} where HTTP allows one. HEAD answers and 204/304 statuses carry none; over
   * HTTP/1.1 Vert.x drops such a body itself, but over HTTP/2 it would send it and the client would reset the stream.
   * Completes once written (at once, writing nothing, when the client is {@link #gone}).
   */
  public static Future<Void> end(RoutingContext ctx, String contentType, String body) {
    return end(ctx, contentType, Buffer.buffer(body));
  }

  /**
   * {@code json} as the documented pretty answers are written: Vert.x's {@code encodePrettily} text (Jackson's default
   * pretty printer, field order kept) and a line feed, in UTF-8. The plain String path on purpose: it measured the
   * fastest of the ways tried ({@code bench/PrettyJsonBench.java}, docs/profiles.md), 6-30 % ahead of Jackson's
   * generator writing through an {@code OutputStreamWriter} into the buffer sent and 10-12 % ahead of a UTF-8 writer
   * of our own into it.
   *
   * @throws EncodeException for a value JSON cannot hold, as {@code encodePrettily} does
   */
  public static Buffer prettyJson(Object json) {
    return Buffer.buffer(Json.CODEC.toString(json, true) + "\n");
  }

  /** {@link #end(RoutingContext, String, String)} with a body already encoded (UTF-8 for text). */
  public static Future<Void> end(RoutingContext ctx, String contentType, Buffer bytes) {
    HttpServerResponse response = ctx.response();
    if (gone(ctx)) {
      return Future.succeededFuture();
    }
    int status = response.getStatusCode();
    if (status == 204 || status == 304) {
      return response.end();
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (ctx.request().method() == HttpMethod.HEAD) {
      return response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(bytes.length())).end();
    }
    return response.end(bytes);
  }

  /** An error answer with {@code code}'s HTTP status. */
  public static Future<Void> error(RoutingContext ctx, ErrorCode code, String message) {
    return error(ctx, code.httpStatus(), code, message);
  }

  /** An error answer with a status other than {@code code}'s own (DoH answers 415 with {@code BAD_REQUEST}). */
  public static Future<Void> error(RoutingContext ctx, int status, ErrorCode code, String message) {
    return write(ctx, status, ErrorReply.of(code, message));
  }

  /** A service's error reply as it came (extra fields such as {@code rule} kept), with its code's HTTP status. */
  public static Future<Void> error(RoutingContext ctx, JsonObject errorReply) {
    return write(ctx, ErrorCode.httpStatus(ErrorReply.code(errorReply)), errorReply);
  }

  /**
   * A service's reply to the client as JSON: 200 for an answer, the code's status for an {@link ErrorReply}.
   */
  public static Future<Void> serviceReply(RoutingContext ctx, JsonObject reply) {
    if (ErrorReply.isError(reply)) {
      return error(ctx, reply);
    }
    if (gone(ctx)) {
      return Future.succeededFuture();
    }
    ctx.response().setStatusCode(200);
    return end(ctx, "application/json", reply.encode());
  }

  /** Marks {@code ctx} as a machine API request: its error answers are JSON whatever its {@code Accept} header says. */
  public static void preferJson(RoutingContext ctx) {
    ctx.put(JSON_ERRORS, true);
  }

  /** 405 with the {@code Allow} header the HTTP spec requires. */
  public static void methodNotAllowed(RoutingContext ctx, String allow) {
    ctx.response().putHeader(HttpHeaders.ALLOW, allow);
    error(ctx, ErrorCode.METHOD_NOT_ALLOWED, ctx.request().method() + " is not allowed on " + ctx.request().path() + "; allowed: " + allow);
  }

  public static void notFound(RoutingContext ctx) {
    error(ctx, ErrorCode.NOT_FOUND, "no route or file for " + ctx.request().method() + " " + ctx.request().path());
  }

  /** Remembers the server's settings on {@code ctx}, for error answers that name a limit. */
  public static void settings(RoutingContext ctx, WebSettings settings) {
    ctx.put(SETTINGS, settings);
  }

  /** Where {@link #clientAborted} counts for this request: the serving instance's {@code client_aborts} counter. */
  public static void countClientAbortsIn(RoutingContext ctx, LongAdder clientAborts) {
    ctx.put(CLIENT_ABORTS, clientAborts);
  }

  /**
   * The client went away before the server was done: it closed the connection, reset its HTTP/2 stream, or dropped a
   * WebSocket without a close frame. An expected event of real traffic: counted ({@code client_aborts} in
   * /api/stats), never logged; there is nobody left to answer.
   */
  public static void clientAborted(RoutingContext ctx) {
    LongAdder clientAborts = ctx.get(CLIENT_ABORTS);
    if (clientAborts != null) {
      clientAborts.increment();
    }
  }

  /**
   * Whether {@code failure} is what a client that went away causes: Vert.x's closed connection or reset stream, Netty's
   * write to a closed channel (HTTP/2: curl closes the connection as soon as its stream ended, while the server's last
   * write of a file is still settling), or the kernel's connection reset and broken pipe.
   */
  public static boolean closedByClient(Throwable failure) {
    if (failure instanceof HttpClosedException || failure instanceof StreamResetException || failure instanceof ClosedChannelException) {
      return true;
    }
    String message = failure == null ? null : failure.getMessage();
    return failure instanceof IOException && message != null
      && (message.contains("Connection reset by peer") || message.contains("Broken pipe"));
  }

  /**
   * The failure handler of every router: a handler called {@code ctx.fail(...)} or threw. A client that left
   * mid-request gets nothing and costs no log line, only a count ({@link #clientAborted}); a form over its limits gets
   * 413 naming the limit, a form that cannot be decoded 400 (vertx-web reports both as a bare 400); only a real 500 is
   * logged, with its stack trace.
   */
  public static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().closed() || closedByClient(failure)) {
      clientAborted(ctx);
      return;
    }
    WebSettings settings = ctx.get(SETTINGS);
    if (failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
      error(ctx, ErrorCode.REQUEST_ENTITY_TOO_LARGE, "form body: more fields than max_form_fields ("
        + (settings == null ? "its limit" : settings.maxFormFields()) + ") allows");
      return;
    }
    if (failure instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
      error(ctx, ErrorCode.REQUEST_ENTITY_TOO_LARGE, "form body: a field longer than max_body_bytes ("
        + (settings == null ? "its limit" : settings.maxBodyBytes() + " bytes") + ")");
      return;
    }
    if (failure instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
      error(ctx, ErrorCode.BAD_REQUEST, "form body: cannot be decoded (a malformed percent-escape or multipart part)");
      return;
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    if (status < 400 || status > 599) {
      status = 500;
    }
    String message;
    if (failure instanceof HttpException http && http.getPayload() != null) {
      message = http.getPayload();
    } else if (status == 500) {
      LOG.warn("web: " + ctx.request().method() + " " + ctx.request().path() + " failed", failure);
      message = "internal error (logged on the server)";
    } else if (status == 413) {
      message = "request body larger than the server accepts";
    } else if (failure != null && failure.getMessage() != null) {
      message = failure.getMessage();
    } else {
      message = HttpResponseStatus.valueOf(status).reasonPhrase();
    }
    error(ctx, status, ErrorCode.ofHttpStatus(status), message);
  }

  private static Future<Void> write(RoutingContext ctx, int status, JsonObject errorReply) {
    HttpServerResponse response = ctx.response();
    if (gone(ctx)) {
      return Future.succeededFuture();
    }
    if (response.headWritten()) {
      response.reset(); // too late for a status: abort the response rather than append to it
      return Future.succeededFuture();
    }
    response.setStatusCode(status).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (Boolean.TRUE.equals(ctx.get(JSON_ERRORS)) || wantsJson(ctx.request().path(), ctx.request().getHeader(HttpHeaders.ACCEPT))) {
      return end(ctx, "application/json", errorReply.encode());
    }
    String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
    return end(ctx, "text/html; charset=utf-8", "<!doctype html>\n<html><head><title>" + status + " " + reason
      + "</title></head>\n<body><h1>" + status + " " + reason + "</h1>\n<p>" + escape(ErrorReply.message(errorReply))
      + "</p></body></html>\n");
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
