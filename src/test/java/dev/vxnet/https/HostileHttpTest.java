package dev.vxnet.https;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.vxnet.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 9's malformed and unusual HTTP input, on real sockets against the HTTPS and plain HTTP servers of a node:
 * curl over HTTP/1.1 and HTTP/2, raw sockets, Vert.x's HTTP client. Each client error must be a 4xx that names the
 * rule, with no log line at WARNING or above (no stack trace).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileHttpTest {

  private static final int HEADER_TIMEOUT_MS = 1_500;
  private static TestNode node;
  private static int https;
  private static int http;
  private static final List<ILoggingEvent> WARNINGS = new ArrayList<>();
  /** Every event at WARN or above (vxnet, Vert.x and Netty all log through SLF4J to Logback's root logger). */
  private static final AppenderBase<ILoggingEvent> CAPTURE = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent event) {
      if (event.getLevel().isGreaterOrEqual(Level.WARN) && !event.getFormattedMessage().contains("DEVELOPMENT certificate")) {
        synchronized (WARNINGS) {
          WARNINGS.add(event);
        }
      }
    }
  };

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(WebTests.onPath("curl"), "curl is not installed");
    JsonObject web = new JsonObject().put("header_timeout_ms", HEADER_TIMEOUT_MS).put("max_form_fields", 500);
    // one HTTPS instance: a stats answer then comes from the event loop that handled every connection before it
    node = TestNode.start(TestNode.only("https", "http").mergeIn(new JsonObject()
      .put("https", web.copy().put("instances", 1)).put("http", web.copy())));
    https = node.port("https");
    http = node.port("http");
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    CAPTURE.setContext(root.getLoggerContext());
    CAPTURE.start();
    root.addAppender(CAPTURE);
  }

  @AfterAll
  static void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(CAPTURE);
    CAPTURE.stop();
    if (node != null) {
      node.close();
    }
  }

  @BeforeEach
  void clearLog() {
    synchronized (WARNINGS) {
      WARNINGS.clear();
    }
  }

  private static void assertNothingLogged() {
    synchronized (WARNINGS) {
      assertTrue(WARNINGS.isEmpty(), () -> "logged: " + WARNINGS.get(0).getLevel() + " " + WARNINGS.get(0).getFormattedMessage()
        + (WARNINGS.get(0).getThrowableProxy() == null ? "" : " " + WARNINGS.get(0).getThrowableProxy().getClassName()));
    }
  }

  /** curl's status code and body (the body first, the code on the last line). */
  private static String[] curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "10", "-w", "\n%{http_code}"));
    command.addAll(List.of(args));
    String out = WebTests.run(command.toArray(String[]::new));
    int cut = out.lastIndexOf('\n');
    return new String[] {out.substring(cut + 1).trim(), out.substring(0, cut)};
  }

  /** Sends {@code request} as raw bytes over plain TCP and returns everything the server sent until it closed. */
  private static String raw(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aHostWithAPercentSignIs400AtOnceOnEveryPortAndVersion() throws Exception {
    for (String version : List.of("--http1.1", "--http2")) {
      long started = System.nanoTime();
      String[] answer = curl(version, "-H", "Host: evil.com%3F", "https://127.0.0.1:" + https + "/");
      assertEquals("400", answer[0], version + ": " + answer[1]);
      assertTrue(answer[1].contains("\"BAD_REQUEST\"") && answer[1].contains("'%'"), answer[1]);
      assertTrue(System.nanoTime() - started < 5_000_000_000L, "answered at once, not at a deadline");
    }
    String[] plain = curl("-H", "Host: evil.com%3F", "http://127.0.0.1:" + http + "/");
    assertEquals("400", plain[0], plain[1]);
    assertEquals("400", curl("-H", "Host: a b", "http://127.0.0.1:" + http + "/")[0]);
    assertEquals("400", curl("--http2", "-H", "Host: [zz]:1", "https://127.0.0.1:" + https + "/health")[0]);
    assertEquals("200", curl("--http2", "-H", "Host: localhost:1", "https://127.0.0.1:" + https + "/health")[0]);
    assertNothingLogged();
  }

  @Test
  void aBadAuthorityOnOneHttp2StreamLeavesTheConnectionToTheOthers() throws Exception {
    String out = WebTests.run("curl", "-sS", "-k", "--http2", "--max-time", "10", "-w", "%{http_code}\n", "-H", "Host: bad%zz",
      "https://127.0.0.1:" + https + "/health", "--next", "-sS", "-k", "--http2", "-w", "%{http_code} %{num_connects}\n",
      "https://127.0.0.1:" + https + "/health");
    assertTrue(out.contains("400\n"), out);
    assertTrue(out.endsWith("200 0\n"), "the second request reused the connection: " + out);
  }

  /** HTTP/2 limits are answered on the stream (431, 413), and the connection goes on with the next request. */
  @Test
  void http2LimitsAreAnsweredPerStreamNotWithGoaway() throws Exception {
    String big = "a".repeat(9_000);
    String headers = WebTests.run("curl", "-sS", "-k", "--http2", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}\n",
      "-H", "X-Big: " + big, "https://127.0.0.1:" + https + "/health", "--next", "-sS", "-k", "--http2", "-o", "/dev/null",
      "-w", "%{http_code} %{num_connects}\n", "https://127.0.0.1:" + https + "/health");
    assertEquals("431\n200 0\n", headers, "431 on its stream, then the same connection serves the next request");
    java.nio.file.Path body = java.nio.file.Files.createTempFile("vxnet-big-body", ".bin");
    try {
      java.nio.file.Files.write(body, new byte[(1 << 20) + 1]);
      String bodies = WebTests.run("curl", "-sS", "-k", "--http2", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code}\n",
        "--data-binary", "@" + body, "https://127.0.0.1:" + https + "/api/echo", "--next", "-sS", "-k", "--http2", "-o",
        "/dev/null", "-w", "%{http_code} %{num_connects}\n", "https://127.0.0.1:" + https + "/health");
      assertEquals("413\n200 0\n", bodies);
    } finally {
      java.nio.file.Files.deleteIfExists(body);
    }
  }

  @Test
  void statusesAndMethodsWithoutContentCarryNoneOverHttp2AndHttp11() throws Exception {
    for (String version : List.of("--http2", "--http1.1")) {
      for (int status : List.of(204, 205, 304)) {
        String out = WebTests.run("curl", "-sS", "-k", version, "--max-time", "10", "-D", "-", "-o", "/dev/null",
          "https://127.0.0.1:" + https + "/api/echo?status=" + status);
        assertTrue(out.startsWith("HTTP/") && out.contains(" " + status), version + " " + status + ": " + out);
        assertFalse(out.toLowerCase().matches("(?s).*content-length: [1-9].*"), version + " " + status + ": " + out);
        if (status == 205) {
          assertTrue(out.toLowerCase().contains("content-length: 0"), out);
        }
      }
      String head = WebTests.run("curl", "-sS", "-k", version, "--max-time", "10", "-I", "https://127.0.0.1:" + https + "/api/echo");
      assertTrue(head.toLowerCase().matches("(?s).*content-length: [1-9][0-9]*.*"), "HEAD has GET's length: " + head);
    }
  }

  @Test
  void badEscapesControlCharactersAndDotSegmentsAre400WithOneRuleAndNoLogLine() throws Exception {
    String[] query = curl("https://127.0.0.1:" + https + "/api/echo?x=%zz");
    assertEquals("400", query[0], query[1]);
    assertTrue(query[1].contains("percent-escape"), query[1]);
    String[] path = curl("--http2", "https://127.0.0.1:" + https + "/%zz");
    assertEquals("400", path[0], path[1]);
    String[] dots = curl("--path-as-is", "https://127.0.0.1:" + https + "/a/../about");
    assertEquals("400", dots[0], dots[1]);
    assertTrue(dots[1].contains("segment (dot-segments"), dots[1]);
    assertEquals("400", curl("--path-as-is", "https://127.0.0.1:" + https + "/%2e%2e/about")[0]);
    for (char control : new char[] {0x7f, 0x01, 0x1b}) {
      String answer = raw(http, ("GET /a" + control + "b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(answer.startsWith("HTTP/1.1 400"), "redirect port, control " + (int) control + ": " + answer);
      assertTrue(answer.contains("control character"), answer);
    }
    assertNothingLogged();
  }

  @Test
  void formsUpToTheBodyLimitAreAcceptedAndTooManyFieldsIs413NamingTheLimit() throws Exception {
    String bigField = "a=" + "x".repeat(9 * 1024);
    assertEquals("200", curl("-o", "/dev/null", "https://127.0.0.1:" + https + "/api/echo", "-d", bigField)[0]);
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      fields.append("f").append(i).append("=1&");
    }
    assertEquals("200", curl("-o", "/dev/null", "https://127.0.0.1:" + https + "/api/echo", "-d", fields.toString())[0]);
    for (int i = 300; i < 600; i++) {
      fields.append("f").append(i).append("=1&");
    }
    String[] tooMany = curl("https://127.0.0.1:" + https + "/api/echo", "-d", fields.toString());
    assertEquals("413", tooMany[0], tooMany[1]);
    assertTrue(tooMany[1].contains("max_form_fields (500)"), tooMany[1]);
    String[] badForm = curl("https://127.0.0.1:" + https + "/api/echo", "-d", "a=%zz");
    assertEquals("400", badForm[0], badForm[1]);
    assertNothingLogged();
  }

  @Test
  void httpsAnswersCarryStrictTransportSecurityAndPlainHttpNone() throws Exception {
    String secure = WebTests.run("curl", "-sS", "-k", "-I", "--max-time", "10", "https://127.0.0.1:" + https + "/health");
    assertTrue(secure.toLowerCase().contains("strict-transport-security: max-age=31536000"), secure);
    String plain = WebTests.run("curl", "-sS", "-I", "--max-time", "10", "http://127.0.0.1:" + http + "/health");
    assertFalse(plain.toLowerCase().contains("strict-transport-security"), plain);
  }

  /** Row 8: the plain port closes a silent connection and a header trickle at header_timeout_ms, as HTTPS does. */
  @Test
  void thePlainPortClosesSilentAndTricklingConnectionsAtTheHeaderDeadline() throws Exception {
    for (boolean trickle : new boolean[] {false, true}) {
      try (Socket socket = new Socket("127.0.0.1", http)) {
        socket.setSoTimeout(200);
        long started = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        if (trickle) {
          out.write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        boolean closed = false;
        while (!closed && System.nanoTime() - started < 15_000_000_000L) {
          try {
            closed = in.read() < 0;
          } catch (java.net.SocketTimeoutException e) {
            if (trickle) {
              out.write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII));
            }
          } catch (IOException reset) {
            closed = true;
          }
        }
        long afterMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(closed, (trickle ? "trickling" : "silent") + " connection still open after " + afterMs + " ms");
        assertTrue(afterMs >= HEADER_TIMEOUT_MS - 100, "closed at the deadline, not before: " + afterMs);
      }
    }
  }

  /**
   * The FuzzIT find: an HTTP/1.x version other than HTTP/1.0 and HTTP/1.1 (wrong case, or another number) was a bare
   * 501 from Vert.x. It is the client's mistake: 400 naming the version, counted as an invalid request, the connection
   * closed; on the plain port and over TLS, and the next connection is served.
   */
  @Test
  void anHttpVersionOtherThan10Or11Is400NamingIt() throws Exception {
    long invalidBefore = node.counters("https").getLong("invalid_requests");
    List<String> versions = List.of("HTTp/1.1", "http/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/9.9");
    for (String version : versions) {
      byte[] request = ("GET /health " + version + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      String plain = raw(http, request);
      assertTrue(plain.startsWith("HTTP/1.1 400"), version + " on the plain port: " + plain);
      // as it reads inside the answer's JSON string: quotes escaped
      String got = version.startsWith("HTTP/") ? "\\\"" + version + "\\\"" : "\\\"HTTP\\\" not in capitals";
      assertTrue(plain.contains("request line: HTTP version: expected HTTP/1.1 or HTTP/1.0 (RFC 9112 section 2.3), got "
        + got), plain);
      try (javax.net.ssl.SSLSocket socket = dev.vxnet.support.TrustAll.connect(https, null)) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        String tls = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(tls.startsWith("HTTP/1.1 400") && tls.contains("\"BAD_REQUEST\""), version + " over TLS: " + tls);
      }
    }
    assertEquals(invalidBefore + versions.size(), node.counters("https").getLong("invalid_requests"));
    assertTrue(raw(http, "GET /health HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).startsWith("HTTP/1.0 "),
      "HTTP/1.0 is served as before");
    assertEquals("200", curl("https://127.0.0.1:" + https + "/health")[0]);
    assertNothingLogged();
  }

  /** Also: a client that leaves mid-body (plain, form and multipart bodies) costs no log line, let alone a stack trace. */
  @Test
  void aClientLeavingMidBodyIsNotLogged() throws Exception {
    long openBefore = node.counters("https").getLong("connections_open");
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b")) {
      try (javax.net.ssl.SSLSocket socket = dev.vxnet.support.TrustAll.connect(https, null)) {
        String head = "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type
          + "\r\nContent-Length: 100000\r\n\r\n";
        String body = type.startsWith("multipart") ? "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" : "a=";
        socket.getOutputStream().write((head + body + "x".repeat(1_000)).getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
      }
    }
    // the server has handled the three closes (and their failed bodies) once its connection count is back
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (node.counters("https").getLong("connections_open") > openBefore && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(openBefore, node.counters("https").getLong("connections_open"), "the three connections are closed");
    assertNothingLogged();
  }

  /** Row 3: SockJS xhr polling keeps its connection, and on HTTP/2 the session lives on for xhr_send. */
  @Test
  void sockJsXhrPollingKeepsTheConnectionOnHttp11AndHttp2() throws Exception {
    for (HttpVersion version : List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2)) {
      HttpClient client = node.vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false).setUseAlpn(true).setProtocolVersion(version).setDefaultPort(https).setDefaultHost("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(1).setHttp2MaxSize(1));
      try {
        String session = "/eventbus/1/" + version.name().toLowerCase() + "s";
        int first = exchange(client, session + "/xhr", null, 200, "o");
        int second = exchange(client, session + "/xhr_send", "[\"{\\\"type\\\":\\\"send\\\",\\\"address\\\":\\\"nowhere\\\",\\\"body\\\":{}}\"]", 204, "");
        int third = exchange(client, session + "/xhr", null, 200, "a[");  // the bridge's access_denied for "nowhere"
        assertEquals(first, second, version + ": xhr_send on the poll's connection (its local port)");
        assertEquals(first, third, version + ": the next poll on the same connection");
      } finally {
        client.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Sends one request and checks its answer; returns the local port of the connection it went over. */
  private static int exchange(HttpClient client, String path, String body, int status, String startsWith)
    throws Exception {
    HttpClientRequest request = client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path))
      .await(10, TimeUnit.SECONDS);
    int[] answered = new int[1];
    // The body handler is set on the event loop as the response arrives, by a callback attached before the request
    // goes out: one attached to send()'s future from this thread can come after the body was already delivered, and
    // the answer then never completes (seen in CI).
    Future<Buffer> answer = request.response().compose(response -> {
      answered[0] = response.statusCode();
      return response.body();
    });
    if (body == null) {
      request.end();
    } else {
      request.putHeader("content-type", "text/plain").end(body);
    }
    String text = answer.await(10, TimeUnit.SECONDS).toString();
    assertEquals(status, answered[0], path + ": " + text);
    assertTrue(text.startsWith(startsWith), path + ": " + text);
    return request.connection().localAddress().port();
  }
}
