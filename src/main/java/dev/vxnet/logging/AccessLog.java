package dev.vxnet.logging;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.ext.web.RoutingContext;
import net.logstash.logback.marker.Markers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static net.logstash.logback.argument.StructuredArguments.v;

/**
 * The access log of the HTTP and HTTPS servers: one line per request when its response ends (or its connection
 * closes), on logger {@code vxnet.access}, in the combined format followed by the request time in seconds:
 *
 * <pre>127.0.0.1 - - [01/Dec/2026:10:00:00 +0000] "GET /api/echo HTTP/1.1" 200 512 "-" "curl/8.5.0" 0.002117</pre>
 *
 * With {@code logging.format} json the same record is a JSON line with the fields {@code remote_address},
 * {@code method}, {@code uri}, {@code protocol}, {@code status}, {@code bytes}, {@code referer}, {@code user_agent},
 * {@code request_time} (seconds) and {@code server}. vertx-web's {@code LoggerHandler} writes only a string, which
 * cannot give those fields; hence this handler.
 */
public final class AccessLog implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(LogSetup.ACCESS_LOGGER);
  private static final String MAP = "vxnet.logging";
  private static final DateTimeFormatter COMMON_LOG_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  private final String server;
  private final Set<String> skip;

  private AccessLog(String server, Set<String> skip) {
    this.server = server;
    this.skip = skip;
  }

  /** Records the {@code logging} section's access-log keys for the servers of this node (MainVerticle calls it). */
  public static void configure(Vertx vertx, LoggingSettings settings) {
    LocalMap<String, JsonObject> map = vertx.sharedData().getLocalMap(MAP);
    map.put("access_log", new JsonObject().put("enabled", settings.accessLog()).put("skip", new JsonArray(settings.accessLogSkip())));
  }

  /**
   * The access log of {@code server} ({@code https}, {@code http}), or empty when it is switched off; without
   * {@link #configure} (a server deployed on its own) the section's defaults.
   */
  public static Optional<AccessLog> of(Vertx vertx, String server) {
    JsonObject config = vertx.sharedData().<String, JsonObject>getLocalMap(MAP).get("access_log");
    if (config == null) {
      LoggingSettings defaults = LoggingSettings.SECTION.read(null);
      config = new JsonObject().put("enabled", defaults.accessLog()).put("skip", new JsonArray(defaults.accessLogSkip()));
    }
    if (!config.getBoolean("enabled")) {
      return Optional.empty();
    }
    List<String> skip = config.getJsonArray("skip").stream().map(String.class::cast).toList();
    return Optional.of(new AccessLog(server, Set.copyOf(skip)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (LOG.isInfoEnabled() && !skip.contains(request.path())) {
      long started = System.nanoTime();
      ctx.addEndHandler(ended -> log(ctx, started));
    }
    ctx.next();
  }

  private void log(RoutingContext ctx, long startedNanos) {
    HttpServerRequest request = ctx.request();
    // Seconds with microseconds, always in plain notation (a double would print 5.94E-4 for a fast request).
    BigDecimal seconds = BigDecimal.valueOf(System.nanoTime() - startedNanos, 9).setScale(6, RoundingMode.HALF_UP);
    String referer = request.getHeader("Referer");
    String userAgent = request.getHeader("User-Agent");
    LOG.info(Markers.append("server", server), "{} - - [{}] \"{} {} {}\" {} {} \"{}\" \"{}\" {}",
      v("remote_address", request.remoteAddress() == null ? "-" : request.remoteAddress().hostAddress()),
      ZonedDateTime.now().format(COMMON_LOG_TIME),
      v("method", request.method().name()),
      v("uri", request.uri()),
      v("protocol", protocol(request)),
      v("status", ctx.response().getStatusCode()),
      v("bytes", ctx.response().bytesWritten()),
      v("referer", referer == null ? "-" : referer),
      v("user_agent", userAgent == null ? "-" : userAgent),
      v("request_time", seconds));
  }

  private static String protocol(HttpServerRequest request) {
    return switch (request.version()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2.0";
    };
  }
}
