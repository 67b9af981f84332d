package dev.vxnet.web;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.net.Wire;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Runs after a body handler: an {@code application/x-www-form-urlencoded} body with a malformed percent-escape gets
 * 400 naming it. Netty's form decoder keeps such an escape as literal text, a silent guess at what the client meant.
 */
public final class FormEscapes {

  private FormEscapes() {
  }

  public static void check(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
      && ctx.body() != null && ctx.body().buffer() != null) {
      Optional<String> problem = Wire.badPercentEscape(ctx.body().buffer().toString(StandardCharsets.ISO_8859_1));
      if (problem.isPresent()) {
        Responses.error(ctx, ErrorCode.BAD_REQUEST, "form body: " + problem.get());
        return;
      }
    }
    ctx.next();
  }
}
