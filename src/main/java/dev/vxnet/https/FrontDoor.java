package dev.vxnet.https;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.json.Json;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where every request of a web server enters, before any route: a malformed authority ({@code Host}) or
 * request-target ({@link HttpSyntax}) is answered 400 here, once for every route, port and HTTP version (HTTP/2
 * authorities are checked even earlier, {@link Http2AuthorityScreen}); HTTPS answers get {@code Strict-Transport-Security}
 * when configured; the rest goes to the router as a {@link ScreenedRequest}. The 400 is vxnet's error JSON, with
 * no log line (a client's mistake is not the server's event), counted in {@code invalid_requests}. An HTTP/1.x
 * connection is closed after it: its request body, if any, is unread.
 */
final class FrontDoor implements Handler<HttpServerRequest> {

  private final Handler<HttpServerRequest> router;
  private final String strictTransportSecurity;
  private final LongAdder invalidRequests;

  /** {@code strictTransportSecurity}: the header's value, or {@code null} for none (plain HTTP, or turned off). */
  FrontDoor(Handler<HttpServerRequest> router, String strictTransportSecurity, LongAdder invalidRequests) {
    this.router = router;
    this.strictTransportSecurity = strictTransportSecurity;
    this.invalidRequests = invalidRequests;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (strictTransportSecurity != null) {
      request.response().putHeader("strict-transport-security", strictTransportSecurity);
    }
    String host = request.version() == HttpVersion.HTTP_2 ? null : request.getHeader(HttpHeaders.HOST);
    Optional<String> problem = host == null ? Optional.empty() : HttpSyntax.authorityProblem(host).map(p -> "Host: " + p);
    if (problem.isEmpty()) {
      problem = HttpSyntax.targetProblem(request.path(), request.query());
    }
    if (problem.isPresent()) {
      invalidRequests.increment();
      refuse(request, problem.get());
      return;
    }
    router.handle(new ScreenedRequest((HttpServerRequestInternal) request));
  }

  /** Answers 400 with {@code problem} in vxnet's error JSON; over HTTP/1.x the connection is closed once it is sent. */
  static void refuse(HttpServerRequest request, String problem) {
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    HttpServerResponse response = request.response().setStatusCode(400)
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (http1) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response.end("{\"error\":{\"code\":\"BAD_REQUEST\",\"message\":" + Json.encode(problem) + "}}\n")
      .onComplete(written -> {
        if (http1) {
          request.connection().close();
        }
      });
  }
}
