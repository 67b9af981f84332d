package dev.vxnet.dns;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ErrorReply;
import dev.vxnet.bus.ServiceCall;
import dev.vxnet.dns.wire.ClientQuery;
import dev.vxnet.dns.wire.InvalidRequest;
import dev.vxnet.dns.wire.QueryType;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.ServerContext;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Rcode;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * DNS over HTTPS, answered by the resolver service over the event bus (never by a DNS client of its own):
 * {@code GET /resolve?name=&type=} in the Google/Cloudflare JSON format, and RFC 8484 {@code GET /dns-query?dns=}
 * (base64url) and {@code POST /dns-query} ({@code application/dns-message}). A request that is not valid gets 400
 * with a JSON error; a resolver that cannot answer gets SERVFAIL in DNS terms (RFC 8484: any DNS answer is 200).
 * Answers are reused for the same question within {@code doh_cache_ms} ({@link DohMicrocache}).
 */
public final class DohRoutes {

  static final String DNS_MESSAGE = "application/dns-message";
  /** A DNS message is at most 65535 bytes: its length is 16 bits in DNS over TCP. */
  static final int MAX_MESSAGE_BYTES = 65_535;

  /**
   * The routes as the web application mounts them: bodies up to {@link #MAX_MESSAGE_BYTES}, JSON errors (DoH
   * clients are programs), each call to the resolver bounded by the server's {@code service_timeout_ms} (keep it
   * above dns.timeout_ms x upstreams).
   */
  public static final RouteGroup ROUTES = RouteGroup.requests("doh", List.of("/resolve", "/dns-query"), MAX_MESSAGE_BYTES,
    DohRoutes::mount).withJsonErrors();

  private static final Set<String> JSON_PARAMETERS = Set.of("name", "type", "cd", "do", "ct", "random_padding");
  private static final Set<String> JSON_TYPES = Set.of("application/dns-json", "application/json");
  /** Longest query string kept as a key of {@link #queryAnswers}, characters: a name is at most 253. */
  private static final int MAX_EXACT_QUERY_CHARS = 512;

  /** A JSON answer as sent: its body and its {@code Cache-Control: max-age}, seconds. */
  private record JsonAnswer(Buffer body, long maxAge) {
  }

  /** A JSON answer with the {@code Content-Type} its query asked for ({@code ct}). */
  private record QueryAnswer(JsonAnswer answer, String contentType) {
  }

  private final Vertx vertx;
  private final long serviceTimeoutMs;
  private final DohMicrocache<JsonAnswer> jsonAnswers;
  /**
   * The same answers by the request's query string exactly as sent, so that a query repeated byte for byte is answered
   * before its parameters are decoded and checked (7 % of the event loop under bench load, docs/profiles.md): the query
   * decides the whole answer, and only answers to valid queries are kept. Left to {@link #jsonAnswers}: queries with
   * {@code random_padding} (padding is there to make each query differ), any with a percent-escape (one could spell
   * that name), and any longer than {@link #MAX_EXACT_QUERY_CHARS} (the key's size is bounded, not only the answer's).
   */
  private final DohMicrocache<QueryAnswer> queryAnswers;
  private final DohMicrocache<JsonObject> wireReplies;

  private DohRoutes(ServerContext server) {
    this.vertx = server.vertx();
    this.serviceTimeoutMs = server.settings().serviceTimeoutMs();
    LongAdder hits = server.counters().counter("doh_cache_hits");
    this.jsonAnswers = new DohMicrocache<>(server.settings().dohCacheMs(), hits);
    this.queryAnswers = new DohMicrocache<>(server.settings().dohCacheMs(), hits);
    this.wireReplies = new DohMicrocache<>(server.settings().dohCacheMs(), hits);
  }

  private static void mount(Router router, ServerContext server) {
    DohRoutes routes = new DohRoutes(server);
    router.get("/resolve").handler(routes::json);
    router.get("/dns-query").handler(routes::wireGet);
    router.post("/dns-query").handler(routes::wirePost);
  }

  private void json(RoutingContext context) {
    String query = context.request().query();
    String exactQuery = query == null || query.length() > MAX_EXACT_QUERY_CHARS || query.indexOf('%') >= 0
      || query.contains("random_padding") ? null : query;
    QueryAnswer same = exactQuery == null ? null : queryAnswers.get(exactQuery);
    if (same != null) {
      jsonAnswer(context, same.contentType(), same.answer());
      return;
    }
    MultiMap params = context.queryParams();
    Optional<String> problem = params.names().stream().filter(name -> !JSON_PARAMETERS.contains(name)).findFirst()
      .map(name -> name + ": unknown parameter (known: name, type, cd, do, ct, random_padding)")
      .or(() -> params.names().stream().filter(name -> params.getAll(name).size() > 1).findFirst()
        .map(name -> name + ": given more than once"))
      .or(() -> flagProblem(params, "cd")).or(() -> flagProblem(params, "do"))
      .or(() -> Optional.ofNullable(params.get("ct")).filter(ct -> !JSON_TYPES.contains(ct))
        .map(ct -> "ct: only application/dns-json here; DNS messages are served at /dns-query"));
    if (problem.isPresent()) {
      Responses.error(context, ErrorCode.BAD_REQUEST, problem.get());
      return;
    }
    QueryType type;
    try {
      type = QueryType.parse(params.get("type"), "type");
    } catch (InvalidRequest invalid) {
      Responses.error(context, ErrorCode.BAD_REQUEST, invalid.getMessage());
      return;
    }
    if (type.equals(QueryType.ADDR)) {
      Responses.error(context, ErrorCode.BAD_REQUEST, "type: ADDR is two questions and only for the event bus; ask A and AAAA");
      return;
    }
    boolean checkingDisabled = isTrue(params.get("cd"));
    String contentType = params.get("ct") == null ? "application/json" : params.get("ct");
    String question = (checkingDisabled ? "cd " : "") + type.name() + " " + params.get("name");
    JsonAnswer kept = jsonAnswers.get(question);
    if (kept != null) {
      jsonAnswer(context, contentType, kept);
      return;
    }
    JsonObject request = new JsonObject().put("name", params.get("name")).put("type", type.name());
    ServiceCall.request(vertx, Addresses.DNS_RESOLVE, request, serviceTimeoutMs).onSuccess(reply -> {
      if (ErrorReply.isError(reply)) {
        Responses.error(context, reply);
        return;
      }
      JsonAnswer answer = new JsonAnswer(DohJson.from(reply, checkingDisabled).toBuffer(), DohJson.minTtl(reply));
      jsonAnswers.put(question, answer, answer.body().length(), answer.maxAge());
      if (exactQuery != null) {
        queryAnswers.put(exactQuery, new QueryAnswer(answer, contentType), answer.body().length(), answer.maxAge());
      }
      jsonAnswer(context, contentType, answer);
    });
  }

  private static void jsonAnswer(RoutingContext context, String contentType, JsonAnswer answer) {
    if (Responses.gone(context)) {
      return;
    }
    context.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
      .putHeader(HttpHeaders.CACHE_CONTROL, "max-age=" + answer.maxAge())
      .end(answer.body()); // Vert.x writes a duplicate of it: the kept buffer can be sent again
  }

  private void wireGet(RoutingContext context) {
    MultiMap params = context.queryParams();
    Optional<String> problem = params.names().stream().filter(name -> !name.equals("dns") && !name.equals("ct")).findFirst()
      .map(name -> name + ": unknown parameter (RFC 8484 GET takes dns=<base64url>)")
      .or(() -> Optional.ofNullable(params.get("ct")).filter(ct -> !ct.equals(DNS_MESSAGE))
        .map(ct -> "ct: only " + DNS_MESSAGE + " here; JSON is served at /resolve"));
    if (problem.isPresent()) {
      Responses.error(context, ErrorCode.BAD_REQUEST, problem.get());
      return;
    }
    String dns = params.get("dns");
    if (dns == null || dns.isEmpty()) {
      Responses.error(context, ErrorCode.BAD_REQUEST, "dns: missing; expected a DNS query in base64url (RFC 8484)");
      return;
    }
    byte[] message;
    try {
      message = Base64.getUrlDecoder().decode(dns);
    } catch (IllegalArgumentException e) {
      Responses.error(context, ErrorCode.BAD_REQUEST, "dns: not base64url (RFC 4648 section 5): " + e.getMessage());
      return;
    }
    answer(context, message);
  }

  private void wirePost(RoutingContext context) {
    String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType == null || !contentType.split(";")[0].trim().equalsIgnoreCase(DNS_MESSAGE)) {
      Responses.error(context, 415, ErrorCode.BAD_REQUEST, "Content-Type: expected " + DNS_MESSAGE + ", got " + contentType);
      return;
    }
    Buffer body = context.body().buffer();
    if (body == null || body.length() == 0) {
      Responses.error(context, ErrorCode.BAD_REQUEST, "body: empty; expected a DNS query (" + DNS_MESSAGE + ")");
      return;
    }
    answer(context, body.getBytes());
  }

  /**
   * A client's DNS message: checked like on every face ({@link ClientQuery}); what is no well-formed query gets a 400
   * naming the fault, a query vxnet will not resolve its DNS answer (REFUSED, NOTIMP, BADVERS), the rest the resolver's.
   */
  private void answer(RoutingContext context, byte[] wire) {
    ClientQuery query = ClientQuery.parse(wire);
    if (query.malformed()) {
      Responses.error(context, ErrorCode.BAD_REQUEST, query.reason());
      return;
    }
    if (query.verdict() == ClientQuery.Verdict.REJECT) {
      dnsMessage(context, query.rejection(MAX_MESSAGE_BYTES), 0);
      return;
    }
    String question = query.type() + " " + query.name();
    JsonObject kept = wireReplies.get(question);
    if (kept != null) {
      wireAnswer(context, query, kept, null);
      return;
    }
    JsonObject request = new JsonObject().put("name", query.name().toString()).put("type", query.type()).put("wire", true);
    ServiceCall.request(vertx, Addresses.DNS_RESOLVE, request, serviceTimeoutMs).onSuccess(reply -> {
      if (!ErrorReply.isError(reply)) {
        wireAnswer(context, query, reply, question);
      } else if (ErrorReply.code(reply).equals(ErrorCode.BAD_REQUEST.name())) {
        Responses.error(context, reply);
      } else {
        int extended = ErrorReply.code(reply).equals(ErrorCode.UPSTREAM_FAILED.name())
          ? ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY
          : ExtendedErrorCodeOption.OTHER;
        dnsMessage(context, query.error(Rcode.SERVFAIL, extended, ErrorReply.message(reply), MAX_MESSAGE_BYTES), 0);
      }
    });
  }

  /**
   * The resolver's {@code reply} as the DNS answer to {@code query}: its ID, flags and EDNS (RFC 8484 section 4.2.1);
   * kept for {@code question} (null: it is a kept one) once it could be read.
   */
  private void wireAnswer(RoutingContext context, ClientQuery query, JsonObject reply, String question) {
    byte[] message;
    try {
      message = DohWire.answer(query, reply);
    } catch (Exception e) {
      Responses.error(context, ErrorCode.INTERNAL, "the resolver's wire answer cannot be read: " + e.getMessage());
      return;
    }
    long maxAge = DohJson.minTtl(reply);
    if (question != null) {
      wireReplies.put(question, reply, message.length, maxAge);
    }
    dnsMessage(context, message, maxAge);
  }

  private static void dnsMessage(RoutingContext context, byte[] message, long maxAge) {
    if (Responses.gone(context)) {
      return;
    }
    context.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, DNS_MESSAGE)
      .putHeader(HttpHeaders.CACHE_CONTROL, "max-age=" + maxAge)
      .end(Buffer.buffer(message));
  }

  private static Optional<String> flagProblem(MultiMap params, String name) {
    String value = params.get(name);
    return value == null || Set.of("0", "1", "true", "false").contains(value)
      ? Optional.empty()
      : Optional.of(name + ": expected 0, 1, true or false, got \"" + value + "\"");
  }

  private static boolean isTrue(String flag) {
    return "1".equals(flag) || "true".equals(flag);
  }
}
