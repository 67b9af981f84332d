package dev.vxnet.https;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionMemoTest {

  @Test
  void oneValuePerConnectionThoughEachRequestSeesItsOwnViewOfIt(Vertx vertx) throws Exception {
    AtomicInteger computed = new AtomicInteger();
    ConnectionMemo<String> memo = new ConnectionMemo<>(connection -> "value " + computed.incrementAndGet());
    List<HttpConnection> views = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
      HttpConnection view = new ScreenedRequest((HttpServerRequestInternal) request).connection();
      views.add(view);
      request.response().end(memo.get(view));
    }).listen(0, "127.0.0.1"));

    // three requests on one keep-alive connection, then one on a second connection (plain sockets: nothing pooled)
    List<String> answers = new ArrayList<>();
    try (Socket first = new Socket("127.0.0.1", server.actualPort())) {
      for (int i = 0; i < 3; i++) {
        answers.add(exchange(first));
      }
    }
    try (Socket second = new Socket("127.0.0.1", server.actualPort())) {
      answers.add(exchange(second));
    }

    assertNotSame(views.get(0), views.get(1), "each request gets a view of its own (the case the memo is for)");
    assertEquals(List.of("value 1", "value 1", "value 1", "value 2"), answers);
    assertEquals(2, computed.get(), "worked out once per connection");
  }

  /** One HTTP/1.1 GET on {@code socket}, kept open; the answer's body (its Content-Length bytes). */
  private static String exchange(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the end of the answer's head: " + head);
      }
      head.write(b);
    }
    int length = -1;
    for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200") && length >= 0, head::toString);
    return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
