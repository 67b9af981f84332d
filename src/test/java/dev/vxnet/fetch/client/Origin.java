package dev.vxnet.fetch.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP origin on 127.0.0.1 (plain, or TLS with a self-signed certificate and HTTP/2 by ALPN) that counts, from
 * its own side, the connections it accepted, the requests it got and the most requests it had in flight at once.
 */
public final class Origin {

  /** Key generation is slow on a busy machine: one certificate per host name for the whole test run. */
  private static final Map<String, SelfSignedCertificate> CERTIFICATES = new ConcurrentHashMap<>();

  public final AtomicInteger connections = new AtomicInteger();
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  private final Vertx vertx;
  private final HttpServer server;
  private final SelfSignedCertificate certificate;

  private Origin(Vertx vertx, HttpServer server, SelfSignedCertificate certificate) {
    this.vertx = vertx;
    this.server = server;
    this.certificate = certificate;
  }

  public static Future<Origin> plain(Vertx vertx) {
    return start(vertx, new HttpServerOptions(), null);
  }

  /** TLS with a self-signed certificate for {@code hostName}, offering h2 and http/1.1 by ALPN. */
  public static Future<Origin> tls(Vertx vertx, String hostName) {
    SelfSignedCertificate certificate = CERTIFICATES.computeIfAbsent(hostName, SelfSignedCertificate::create);
    return start(vertx, new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions()),
      certificate);
  }

  private static Future<Origin> start(Vertx vertx, HttpServerOptions options, SelfSignedCertificate certificate) {
    HttpServer server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0));
    Origin origin = new Origin(vertx, server, certificate);
    server.connectionHandler(connection -> origin.connections.incrementAndGet());
    server.requestHandler(origin::handle);
    return server.listen().map(origin);
  }

  public int port() {
    return server.actualPort();
  }

  /** The PEM file of the self-signed certificate (its own CA). */
  public String certificateFile() {
    return certificate.certificatePath();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    request.response().endHandler(v -> inFlight.decrementAndGet());
    String path = request.path();
    if (path.equals("/hello")) {
      request.response().putHeader("content-type", "text/plain; charset=utf-8").end("hello from origin");
    } else if (path.equals("/bytes")) {
      byte[] bytes = new byte[Integer.parseInt(request.getParam("n"))];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (i * 7 + 200);
      }
      request.response().putHeader("content-type", "application/octet-stream")
        .putHeader("content-length", String.valueOf(bytes.length)).end(Buffer.buffer(bytes));
    } else if (path.equals("/stream")) {
      // Chunked, no Content-Length: the limit must cut the stream itself.
      int n = Integer.parseInt(request.getParam("n"));
      request.response().setChunked(true).putHeader("content-type", "text/plain");
      for (int sent = 0; sent < n; sent += 1000) {
        request.response().write("x".repeat(Math.min(1000, n - sent)));
      }
      request.response().end();
    } else if (path.equals("/slow")) {
      vertx.setTimer(Long.parseLong(request.getParam("ms")),
        t -> request.response().putHeader("content-type", "text/plain").end("slow " + request.getParam("i")));
    } else if (path.equals("/hang")) {
      // Accepts and never answers.
      inFlight.decrementAndGet();
    } else if (path.startsWith("/redirect/")) {
      int left = Integer.parseInt(path.substring("/redirect/".length()));
      request.response().setStatusCode(302).putHeader("location", left == 0 ? "/hello" : "/redirect/" + (left - 1)).end();
    } else if (path.equals("/to")) {
      request.response().setStatusCode(Integer.parseInt(request.getParam("status", "302")))
        .putHeader("location", request.getParam("location")).end();
    } else if (path.equals("/echo")) {
      request.body().onSuccess(body -> {
        JsonObject headers = new JsonObject();
        request.headers().forEach(header -> headers.put(header.getKey().toLowerCase(), header.getValue()));
        request.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("method", request.method().name())
          .put("uri", request.uri())
          .put("version", request.version().name())
          .put("headers", headers)
          .put("body", body.toString())
          .encode());
      });
    } else {
      request.response().setStatusCode(404).end("no such path " + path);
    }
  }
}
