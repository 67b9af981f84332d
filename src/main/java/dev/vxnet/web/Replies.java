package dev.vxnet.web;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Ends a response with a body where HTTP allows one. HEAD answers and 204/304 statuses carry none; over HTTP/1.1
 * Vert.x drops such a body itself, but over HTTP/2 it would send it and the client would reset the stream.
 */
public final class Replies {

  private Replies() {
  }

  public static Future<Void> end(RoutingContext ctx, String contentType, String body) {
    HttpServerResponse response = ctx.response();
    int status = response.getStatusCode();
    if (status == 204 || status == 304) {
      return response.end();
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    Buffer bytes = Buffer.buffer(body);
    if (ctx.request().method() == HttpMethod.HEAD) {
      return response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(bytes.length())).end();
    }
    return response.end(bytes);
  }
}
