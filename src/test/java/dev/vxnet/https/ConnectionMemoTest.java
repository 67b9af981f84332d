package dev.vxnet.https;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionMemoTest {

  @Test
  void oneValuePerConnectionThoughEachRequestSeesItsOwnViewOfIt(Vertx vertx) throws Exception {
    AtomicInteger computed = new AtomicInteger();
    ConnectionMemo<String> memo = new ConnectionMemo<>(connection -> "value " + computed.incrementAndGet());
    List<HttpConnection> views = new ArrayList<>();
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
      HttpConnection view = new ScreenedRequest((HttpServerRequestInternal) request).connection();
      views.add(view);
      request.response().end(memo.get(view));
    }).listen(0, "127.0.0.1"));

    // one keep-alive connection for the first three requests, a second connection for the fourth
    HttpClient client = WebTests.keep(vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(1)));
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
        .compose(request -> request.send()).compose(response -> response.body())).toString());
    }
    HttpClient other = WebTests.keep(vertx.createHttpClient());
    answers.add(await(other.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
      .compose(request -> request.send()).compose(response -> response.body())).toString());

    assertNotSame(views.get(0), views.get(1), "each request gets a view of its own (the case the memo is for)");
    assertEquals(List.of("value 1", "value 1", "value 1", "value 2"), answers);
    assertEquals(2, computed.get(), "worked out once per connection");
  }
}
