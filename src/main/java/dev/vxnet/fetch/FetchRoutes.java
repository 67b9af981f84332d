package dev.vxnet.fetch;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The HTTP face of the fetch service: {@code GET /api/fetch?url=...} and {@code POST /api/fetch} with one request
 * or a batch, answered with the service's JSON and an HTTP status from its error code. Talks to the service only
 * over the event bus, so the fetcher may run on another node.
 */
public final class FetchRoutes {

  /** Largest request body POST /api/fetch reads (a batch of 1000 short requests is well under it). */
  public static final long MAX_BODY_BYTES = 1 << 20;
  /** Time the reply needs to come back over the event bus after the service's own deadline. */
  static final long REPLY_MARGIN_MS = 1_000;
  private static final Pattern NUMBER = Pattern.compile("\\d{1,15}");
  private static final List<String> GET_PARAMETERS = List.of("url", "timeout_ms", "max_bytes", "follow_redirects", "max_redirects");

  /**
   * The routes as the web application mounts them, bodies up to {@link #MAX_BODY_BYTES}. The server's
   * {@code service_timeout_ms} is how long a request waits for the service, raised for a request that asks for a longer
   * {@code timeout_ms} (or a batch for a longer {@code deadline_ms}); the service is told to answer before that wait
   * ends ({@code reply_within_ms}), so a slow fetch comes back as its own TIMEOUT, with the batch's finished results,
   * rather than as a lost reply.
   */
  public static final RouteGroup ROUTES = RouteGroup.requests("fetch", List.of("/api/fetch"), MAX_BODY_BYTES,
    (router, server) -> mount(router, server.vertx(), server.settings().serviceTimeoutMs()));

  private FetchRoutes() {
  }

  private static void mount(Router router, Vertx vertx, long serviceTimeoutMs) {
    router.get("/api/fetch").handler(ctx -> {
      JsonObject request;
      try {
        request = fromQuery(ctx.queryParams());
      } catch (IllegalArgumentException e) {
        Responses.error(ctx, ErrorCode.BAD_REQUEST, e.getMessage());
        return;
      }
      call(ctx, vertx, Addresses.FETCH, request, "timeout_ms", serviceTimeoutMs);
    });
    router.post("/api/fetch").handler(ctx -> {
      JsonObject body;
      try {
        body = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        body = null;
      }
      if (body == null) {
        Responses.error(ctx, ErrorCode.BAD_REQUEST,
          "body: expected a JSON object: {\"url\": ...} or {\"requests\": [{\"url\": ...}, ...], \"concurrency\": N}");
      } else if (body.containsKey("requests")) {
        call(ctx, vertx, Addresses.FETCH_BATCH, body, "deadline_ms", serviceTimeoutMs);
      } else {
        call(ctx, vertx, Addresses.FETCH, body, "timeout_ms", serviceTimeoutMs);
      }
    });
  }

  private static void call(RoutingContext ctx, Vertx vertx, String address, JsonObject request, String limitField,
                           long serviceTimeoutMs) {
    long wait = serviceTimeoutMs;
    if (request.getValue(limitField) instanceof Number asked) {
      wait = Math.max(wait, asked.longValue() + REPLY_MARGIN_MS);
    }
    long replyWithin = Math.max(1, wait - REPLY_MARGIN_MS);
    if (request.getValue("reply_within_ms") instanceof Number given) {
      replyWithin = Math.min(replyWithin, Math.max(1, given.longValue()));
    }
    request.put("reply_within_ms", replyWithin);
    ServiceCall.request(vertx, address, request, wait).onSuccess(reply -> Responses.serviceReply(ctx, reply));
  }

  /** Query parameters as a request object; numbers and flags converted, anything unknown refused. */
  static JsonObject fromQuery(MultiMap params) {
    JsonObject request = new JsonObject();
    for (String name : params.names()) {
      if (!GET_PARAMETERS.contains(name)) {
        throw new IllegalArgumentException(name + ": unknown query parameter (known: " + String.join(", ", GET_PARAMETERS) + ")");
      }
      List<String> values = params.getAll(name);
      if (values.size() != 1) {
        throw new IllegalArgumentException(name + ": given " + values.size() + " times, expected once");
      }
      String value = values.get(0);
      switch (name) {
        case "url" -> request.put(name, value);
        case "follow_redirects" -> {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(name + ": expected true or false, got \"" + value + "\"");
          }
          request.put(name, Boolean.parseBoolean(value));
        }
        default -> {
          if (!NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": expected a non-negative integer, got \"" + value + "\"");
          }
          request.put(name, Long.parseLong(value));
        }
      }
    }
    if (!request.containsKey("url")) {
      throw new IllegalArgumentException("url: required query parameter (GET /api/fetch?url=https://example.com/)");
    }
    return request;
  }
}
