package dev.vxnet.dns.resolver;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A real DNS server for the tests: UDP and TCP on one port of 127.0.0.1, answering {@link TestZone} over real
 * packets; or DNS over TLS ({@link #startTls}) or over HTTPS ({@link #startHttps}, POST /dns-query, HTTP/2) with a
 * given certificate. Its mode makes it a failing upstream: {@code DROP} reads every query and never answers,
 * {@code SERVFAIL} answers every query with SERVFAIL, {@code SLOW} answers after {@link #delayMs}.
 */
public final class TestDnsServer {

  public enum Mode { ANSWER, DROP, SERVFAIL, SLOW }

  private static final int UDP_LIMIT_WITHOUT_EDNS = 512;

  private final Vertx vertx;
  private final TestZone zone;
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private volatile Mode mode = Mode.ANSWER;
  private volatile long delayMs;
  private final AtomicInteger connections = new AtomicInteger();
  private DatagramSocket udp;
  private NetServer tcp;
  private HttpServer https;

  private TestDnsServer(Vertx vertx, TestZone zone) {
    this.vertx = vertx;
    this.zone = zone;
  }

  /** Binds UDP to a free port of 127.0.0.1, then TCP to the same port (trying again if TCP has it taken). */
  public static Future<TestDnsServer> start(Vertx vertx, TestZone zone) {
    return new TestDnsServer(vertx, zone).bind(5);
  }

  public TestDnsServer mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public TestDnsServer slow(long delayMs) {
    this.delayMs = delayMs;
    return mode(Mode.SLOW);
  }

  /** DNS over TLS on a free port of 127.0.0.1, serving {@code certificate}. */
  public static Future<TestDnsServer> startTls(Vertx vertx, TestZone zone, KeyCertOptions certificate) {
    TestDnsServer server = new TestDnsServer(vertx, zone);
    server.tcp = vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(certificate))
      .connectHandler(server::tcpConnection);
    return server.tcp.listen(0, "127.0.0.1").map(server);
  }

  /** DNS over HTTPS on a free port of 127.0.0.1 ({@code POST /dns-query}, HTTP/2 or HTTP/1.1), serving {@code certificate}. */
  public static Future<TestDnsServer> startHttps(Vertx vertx, TestZone zone, KeyCertOptions certificate) {
    TestDnsServer server = new TestDnsServer(vertx, zone);
    server.https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate))
      .connectionHandler(connection -> server.connections.incrementAndGet())
      .requestHandler(request -> request.body().onSuccess(body -> {
        server.tcpQueries.incrementAndGet();
        if (!request.path().equals("/dns-query") || !"application/dns-message".equals(request.getHeader("content-type"))) {
          request.response().setStatusCode(400).end();
          return;
        }
        server.respond(body, false, response -> request.response().putHeader("content-type", "application/dns-message").end(response));
      }));
    return server.https.listen(0, "127.0.0.1").map(server);
  }

  public int port() {
    return udp != null ? udp.localAddress().port() : tcp != null ? tcp.actualPort() : https.actualPort();
  }

  /** Connections the TCP, TLS or HTTPS side accepted. */
  public int connections() {
    return connections.get();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public int udpQueries() {
    return udpQueries.get();
  }

  public int tcpQueries() {
    return tcpQueries.get();
  }

  public int queries() {
    return udpQueries() + tcpQueries();
  }

  public Future<Void> close() {
    return Future.join(udp == null ? Future.succeededFuture() : udp.close(), tcp == null ? Future.succeededFuture() : tcp.close(),
      https == null ? Future.succeededFuture() : https.close()).mapEmpty();
  }

  private Future<TestDnsServer> bind(int attemptsLeft) {
    udp = vertx.createDatagramSocket();
    udp.handler(this::udpQuery);
    tcp = vertx.createNetServer().connectHandler(this::tcpConnection);
    return udp.listen(0, "127.0.0.1")
      .compose(s -> tcp.listen(port(), "127.0.0.1"))
      .map(this)
      .recover(failure -> attemptsLeft > 1
        ? udp.close().transform(v -> bind(attemptsLeft - 1))
        : Future.failedFuture(failure));
  }

  private void udpQuery(DatagramPacket packet) {
    udpQueries.incrementAndGet();
    respond(packet.data(), true, response ->
      udp.send(response, packet.sender().port(), packet.sender().host()));
  }

  /** RFC 7766 framing: a 2-byte length, then the message; several queries may share a connection. */
  private void tcpConnection(NetSocket socket) {
    connections.incrementAndGet();
    RecordParser frames = RecordParser.newFixed(2);
    frames.handler(new Handler<>() {
      private boolean lengthNext = true;

      @Override
      public void handle(Buffer frame) {
        if (lengthNext) {
          int length = frame.getUnsignedShort(0);
          if (length == 0) {
            socket.close();
            return;
          }
          frames.fixedSizeMode(length);
        } else {
          tcpQueries.incrementAndGet();
          respond(frame, false, response -> socket.write(Buffer.buffer().appendUnsignedShort(response.length()).appendBuffer(response)));
          frames.fixedSizeMode(2);
        }
        lengthNext = !lengthNext;
      }
    });
    socket.handler(frames);
  }

  private void respond(Buffer data, boolean udp, Consumer<Buffer> send) {
    Message query;
    try {
      query = new Message(data.getBytes());
    } catch (IOException malformed) {
      return;
    }
    Mode now = mode;
    if (now == Mode.DROP) {
      return;
    }
    Message response;
    if (now == Mode.SERVFAIL) {
      response = zone.answer(query, 0);
      response.removeAllRecords(Section.ANSWER);
      response.removeAllRecords(Section.AUTHORITY);
      response.getHeader().setRcode(Rcode.SERVFAIL);
    } else {
      int limit = !udp ? 0 : query.getOPT() != null ? query.getOPT().getPayloadSize() : UDP_LIMIT_WITHOUT_EDNS;
      response = zone.answer(query, limit);
    }
    Buffer wire = Buffer.buffer(response.toWire());
    if (now == Mode.SLOW) {
      vertx.setTimer(delayMs, id -> send.accept(wire));
    } else {
      send.accept(wire);
    }
  }
}
