package dev.vxnet;

import dev.vxnet.support.TrustAll;
import dev.vxnet.support.LineClient;
import dev.vxnet.support.TestNode;
import dev.vxnet.support.VxnetProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console log of a node under ordinary traffic that ends abruptly, as real clients do: curl fetching static files
 * over HTTP/2 (and closing at once), chat clients leaving, WebSocket clients of /eventbus dropping their connection
 * without a close frame. Such events are counted in /api/stats ({@code client_aborts}), never logged: at INFO the
 * log shows vxnet's lines and real problems only.
 */
class QuietLogIT {

  private static final Duration START = Duration.ofSeconds(90);

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void clientsThatLeaveAbruptlyAreCountedNotLogged() throws Exception {
    JsonObject config = TestNode.config(TestNode.only("chat", "https"));
    String output;
    Vertx vertx = Vertx.vertx();
    WebClient web = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false)
      .setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2));
    try (VxnetProcess vxnet = VxnetProcess.start("quiet-log", List.of(), List.of("-conf", config.encode()), Map.of())) {
      vxnet.awaitLine("node \\S+: started", START);
      int https = vxnet.port("https", START);
      int chat = vxnet.port("chat", START);

      for (int i = 0; i < 5; i++) {
        staticFileOverHttp2(web, https);
      }
      for (int i = 0; i < 3; i++) {
        try (LineClient guest = LineClient.chat(chat, Duration.ofSeconds(10))) {
          guest.send("hello, and goodbye");
        }
      }
      dropEventBusWebSocket(https, true);
      dropEventBusWebSocket(https, false);

      long aborts = httpsCounter(web, https, "client_aborts");
      assertTrue(aborts >= 2, "the two dropped WebSockets at least are counted: " + aborts);
      vxnet.terminate();
      assertEquals(0, vxnet.exitCode(Duration.ofSeconds(30)));
      output = vxnet.output();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    // From the "started" line on: the traffic's lines (a loaded machine may warn of a slow start, a real problem).
    List<String> noise = output.lines()
      .dropWhile(line -> !line.matches(".*node \\S+: started .*"))
      .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\tat ") || line.contains("Exception"))
      .toList();
    assertEquals(List.of(), noise, "the whole log:\n" + output);
  }

  /** {@code curl --http2 https://.../}, which closes its connection as soon as its stream ended; Vert.x's client if no curl. */
  private static void staticFileOverHttp2(WebClient web, int port) throws Exception {
    try {
      Process curl = new ProcessBuilder("curl", "-sk", "--http2", "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
        "https://127.0.0.1:" + port + "/").redirectErrorStream(true).start();
      String result = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
      assertEquals("200 2", result);
    } catch (IOException noCurl) {
      assertEquals(200, web.get(port, "127.0.0.1", "/").send().await(30, TimeUnit.SECONDS).statusCode());
    }
  }

  /**
   * Opens {@code /eventbus/websocket}, registers for a chat room, then leaves without a WebSocket close frame: with a
   * TCP reset ({@code reset}), or with an orderly TLS and TCP close.
   */
  private static void dropEventBusWebSocket(int port, boolean reset) throws Exception {
    try (SSLSocket socket = (SSLSocket) TrustAll.context().getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String key = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(16));
      out.write(("GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String head = readHead(socket.getInputStream());
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      out.write(maskedTextFrame("{\"type\":\"register\",\"address\":\"vxnet.chat.lobby\"}"));
      out.write(maskedTextFrame("{\"type\":\"ping\"}"));
      out.flush();
      if (reset) {
        socket.setSoLinger(true, 0);
      }
    }
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** RFC 6455 5.2: FIN, text opcode, client-to-server masking; payloads under 126 bytes. */
  private static byte[] maskedTextFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new SecureRandom().generateSeed(4);
    byte[] frame = new byte[2 + 4 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  private static long httpsCounter(WebClient web, int port, String counter) throws Exception {
    HttpResponse<Buffer> stats = web.get(port, "127.0.0.1", "/api/stats").send().await(30, TimeUnit.SECONDS);
    assertEquals(200, stats.statusCode(), stats.bodyAsString());
    return stats.bodyAsJsonObject().getJsonObject("totals").getJsonObject("https").getJsonObject("counters").getLong(counter);
  }
}
