package dev.vxnet.https;

import dev.vxnet.net.Listening;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A WebSocket (as the SockJS bridge uses) outlives the header deadline that closes idle HTTP connections. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketGuardTest {

  @Test
  void anUpgradedConnectionIsLeftToTheIdleTimeout(Vertx vertx) throws Exception {
    int headerTimeoutMs = 2_000; // room for a first, slow TLS handshake on a busy machine
    HttpsSettings settings = HttpsSettings.SECTION.read(WebTests.httpsConfig(new JsonObject().put("header_timeout_ms", headerTimeoutMs)));
    WebServer server = new WebServer(vertx, "https", settings.host(), settings.port(), settings.web(), settings.compression());
    Router router = server.router();
    router.route("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(ws -> ws.textMessageHandler(ws::writeTextMessage)));
    HttpServerOptions options = server.options();
    TlsOptions.apply(options, TlsMaterial.load(vertx, "https", settings.tls()), settings.tls());
    await(server.listen(options, router, null));

    WebSocket ws = await(WebTests.keep(vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.get().caPem.toString()))))
      .connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Listening.port(vertx, "https")).setURI("/ws")));
    Promise<String> echoed = Promise.promise();
    Promise<Void> closed = Promise.promise();
    ws.textMessageHandler(echoed::tryComplete);
    ws.closeHandler(v -> closed.tryComplete());

    await(vertx.timer(2L * headerTimeoutMs)); // well past the deadline an idle HTTP connection would get
    ws.writeTextMessage("still here");
    assertEquals("still here", await(echoed.future()));
    assertEquals(false, closed.future().isComplete());
    await(ws.close());
  }
}
