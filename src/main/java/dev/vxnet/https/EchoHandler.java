package dev.vxnet.https;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.web.Responses;
import dev.vxnet.bus.Node;
import dev.vxnet.net.Wire;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/echo}, any method: answers with a JSON description of the request as the server saw it, after the
 * delay and with the status the client asked for ({@link EchoKnobs}).
 */
final class EchoHandler implements Handler<RoutingContext> {

  private final long maxDelayMs;
  private final String instance;
  /**
   * The {@code tls} part of each connection's answers, made at its first request: asking a session without a client
   * certificate for one throws (an exception with its stack trace per request, measured 14 % of the event loop,
   * docs/profiles.md), and what it describes is fixed by the connection's handshake.
   */
  private final ConnectionMemo<JsonObject> tlsByConnection = new ConnectionMemo<>(EchoHandler::tls);

  EchoHandler(long maxDelayMs, String instance) {
    this.maxDelayMs = maxDelayMs;
    this.instance = instance;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    EchoKnobs knobs;
    try {
      knobs = EchoKnobs.from(ctx.queryParams(), request.headers(), maxDelayMs);
    } catch (EchoKnobs.BadKnob bad) {
      Responses.error(ctx, ErrorCode.BAD_REQUEST, bad.getMessage());
      return;
    }
    JsonObject description = describe(ctx, knobs);
    if (knobs.delayMs() == 0) {
      answer(ctx, knobs, description);
    } else {
      ctx.vertx().setTimer(knobs.delayMs(), id -> answer(ctx, knobs, description));
    }
  }

  private static void answer(RoutingContext ctx, EchoKnobs knobs, JsonObject description) {
    if (Responses.gone(ctx)) {
      return; // the request timed out or the client left during the delay
    }
    ctx.response().setStatusCode(knobs.status()).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    Responses.end(ctx, "application/json", Responses.prettyJson(description));
  }

  JsonObject describe(RoutingContext ctx, EchoKnobs knobs) {
    HttpServerRequest request = ctx.request();
    SocketAddress remote = request.remoteAddress();
    return new JsonObject()
      .put("method", request.method().name())
      .put("path", request.path())
      .put("query", request.query())
      .put("query_params", multiMap(ctx.queryParams(), false)) // the query only: params() would add form-body fields
      .put("http_version", Wire.httpVersion(request.version()))
      .put("headers", multiMap(request.headers(), true))
      .put("body", body(ctx.body()))
      .put("client", new JsonObject().put("address", remote == null ? null : remote.hostAddress())
        .put("port", remote == null ? null : remote.port()))
      .put("tls", tlsByConnection.get(request.connection()))
      .put("served_by", new JsonObject().put("node", Node.name(ctx.vertx())).put("instance", instance))
      .put("response", new JsonObject().put("status", knobs.status()).put("delay_ms", knobs.delayMs()));
  }

  /** Names as keys (lower-cased for headers, which are case-insensitive), every value in a list, sorted. */
  private static JsonObject multiMap(MultiMap map, boolean lowerCaseNames) {
    Map<String, JsonArray> sorted = new TreeMap<>();
    map.forEach(entry -> sorted.computeIfAbsent(lowerCaseNames ? entry.getKey().toLowerCase(Locale.ROOT) : entry.getKey(),
      k -> new JsonArray()).add(entry.getValue()));
    JsonObject json = new JsonObject();
    sorted.forEach(json::put);
    return json;
  }

  /** The body as text when it is valid UTF-8, else base64, with its length in bytes. */
  static JsonObject body(RequestBody body) {
    Buffer buffer = body == null || body.buffer() == null ? Buffer.buffer() : body.buffer();
    JsonObject json = new JsonObject().put("bytes", buffer.length());
    byte[] bytes = buffer.getBytes();
    return Wire.decode(bytes, StandardCharsets.UTF_8)
      .map(text -> json.put("encoding", "utf-8").put("text", text))
      .orElseGet(() -> json.put("encoding", "base64").put("base64", Base64.getEncoder().encodeToString(bytes)));
  }

  /** Protocol and cipher of the TLS session, and the client certificate if one was presented; null on plain HTTP. */
  private static JsonObject tls(HttpConnection connection) {
    SSLSession session = connection.sslSession();
    if (session == null) {
      return null;
    }
    JsonObject tls = new JsonObject()
      .put("protocol", session.getProtocol())
      .put("cipher", session.getCipherSuite())
      .put("sni", connection.indicatedServerName());
    JsonObject client = null;
    try {
      List<Certificate> chain = connection.peerCertificates();
      if (chain != null && !chain.isEmpty() && chain.get(0) instanceof X509Certificate cert) {
        client = new JsonObject()
          .put("subject", cert.getSubjectX500Principal().getName())
          .put("issuer", cert.getIssuerX500Principal().getName())
          .put("serial", cert.getSerialNumber().toString(16))
          .put("not_after", cert.getNotAfter().toInstant().toString())
          .put("sha256", TlsMaterial.fingerprint(cert));
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate: client_auth is none, or request and the client sent none
    }
    return tls.put("client_certificate", client);
  }
}
