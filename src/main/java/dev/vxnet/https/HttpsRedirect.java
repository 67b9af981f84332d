package dev.vxnet.https;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.web.Responses;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Sends a plain HTTP request to the same host, path and query over HTTPS: 301 for GET and HEAD (understood by every
 * client), 308 for other methods (which must keep their method and body). The host is the request's own
 * authority, already validated by Vert.x; a request without one gets 400.
 */
final class HttpsRedirect implements Handler<RoutingContext> {

  private final int httpsPort;

  HttpsRedirect(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HostAndPort authority = request.authority();
    if (authority == null || authority.host().isEmpty()) {
      Responses.error(ctx, ErrorCode.BAD_REQUEST, "a Host header is required to redirect to HTTPS");
      return;
    }
    String query = request.query();
    String location = location(authority.host(), httpsPort, request.path() + (query == null ? "" : "?" + query));
    boolean safe = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
    ctx.response().setStatusCode(safe ? 301 : 308).putHeader(HttpHeaders.LOCATION, location).end();
  }

  /** {@code pathAndQuery} as sent, still encoded. */
  static String location(String host, int port, String pathAndQuery) {
    String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return "https://" + hostPart + (port == 443 ? "" : ":" + port) + pathAndQuery;
  }
}
