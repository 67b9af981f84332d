package dev.vxnet.https;

import dev.vxnet.support.TestNode;
import dev.vxnet.support.TrustAll;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client that half-closes right after its request (its FIN ends its sending only, RFC 9293 section 3.6; {@code nc
 * -N}, a script's {@code shutdown(SHUT_WR)}) still gets the whole answer, also one that comes later (an event-bus
 * hop, a timer: {@code /delay}), then the connection closes. Before, the server closed at the FIN and such answers
 * were lost, on every transport; on io_uring even the immediate ones. On plain HTTP and HTTPS (a FIN without TLS's
 * close_notify: OpenSSL's engine answers a close_notify by closing both ways, docs/https.md), on epoll and io_uring.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfCloseTest {

  private static final String REQUEST = "GET /delay/0.2 HTTP/1.1\r\nHost: localhost\r\n\r\n";

  @ParameterizedTest
  @ValueSource(strings = {"epoll", "io_uring"})
  void anAnswerAskedForBeforeTheClientsFinIsWrittenWhole(String transport) throws Exception {
    Transport wanted = "epoll".equals(transport) ? Transport.EPOLL : Transport.IO_URING;
    assumeTrue(wanted.available(), () -> transport + ": " + wanted.unavailabilityCause());
    JsonObject config = TestNode.only("https", "http").put("http", new JsonObject().put("redirect", false));
    try (TestNode node = TestNode.startOn(transport, config)) {
      try (Socket plain = new Socket("127.0.0.1", node.port("http"))) {
        assertAnswered(plain, plain, "plain HTTP on " + transport);
      }
      try (Socket tcp = new Socket("127.0.0.1", node.port("https"));
           SSLSocket tls = (SSLSocket) TrustAll.context().getSocketFactory().createSocket(tcp, "localhost", node.port("https"), true)) {
        assertAnswered(tls, tcp, "HTTPS, a FIN without close_notify, on " + transport); // as a killed client's kernel sends it
      }
      // pipelined: every request sent before the FIN is answered, in order, then the connection closes
      try (Socket pipelined = new Socket("127.0.0.1", node.port("http"))) {
        pipelined.setSoTimeout(10_000);
        pipelined.getOutputStream().write((REQUEST + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"
          + "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        pipelined.shutdownOutput();
        String answers = new String(pipelined.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, answers.split("HTTP/1.1 200 OK\r\n", -1).length - 1, "three answers: " + answers);
        assertTrue(answers.indexOf("\"url\"") < answers.indexOf("\"outcome\""), "in order: " + answers);
      }
      // a FIN inside a request's body: that request can never be whole, so the connection closes at once (not at
      // request_timeout_ms, 30 s, when the read below would have timed out after 10 s)
      try (Socket cut = new Socket("127.0.0.1", node.port("http"))) {
        cut.setSoTimeout(10_000);
        cut.getOutputStream().write("POST /api/echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nabc"
          .getBytes(StandardCharsets.US_ASCII));
        cut.shutdownOutput();
        assertEquals(-1, cut.getInputStream().read(), "a body cut by the FIN closes the connection");
      }
      // no request in progress: the FIN closes the connection at once, as before
      try (Socket idle = new Socket("127.0.0.1", node.port("http"))) {
        idle.setSoTimeout(10_000);
        idle.shutdownOutput();
        assertEquals(-1, idle.getInputStream().read(), "an idle connection closes at the client's FIN");
      }
    }
  }

  /** Sends the request on {@code socket}, half-closes {@code finOn}, reads to the server's close. */
  private static void assertAnswered(Socket socket, Socket finOn, String what) throws IOException {
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    finOn.shutdownOutput();
    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // to the server's close
    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), what + ": " + answer);
    int head = answer.indexOf("\r\n\r\n");
    String length = answer.lines().filter(line -> line.toLowerCase().startsWith("content-length:")).findFirst().orElse("none");
    assertEquals("content-length: " + (answer.length() - head - 4), length.toLowerCase(), what + ": the body whole: " + answer);
    assertTrue(answer.contains("\"url\""), what + ": " + answer);
  }
}
