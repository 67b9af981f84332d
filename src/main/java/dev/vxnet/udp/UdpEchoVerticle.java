package dev.vxnet.udp;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.net.Listening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/** UDP echo: each datagram goes back to its sender, within a size bound and a per-source rate limit. */
public final class UdpEchoVerticle extends VerticleBase {

  /** The largest payload of an IPv4 UDP datagram. */
  public static final int MAX_UDP_PAYLOAD = 65_507;

  public static final Section CONFIG = Section.service("udp", 9999, "UDP echo.",
    Key.integer("max_datagram_bytes", 8_192, 1, MAX_UDP_PAYLOAD, "Larger datagrams are dropped and counted as `oversize`."),
    Key.integer("rate_limit_per_second", 10_000, 0, Integer.MAX_VALUE,
      "Datagrams answered per second per source address (token bucket); 0 = no limit."),
    Key.integer("rate_limit_burst", 20_000, 1, Integer.MAX_VALUE, "Token bucket size: datagrams a source may send at once."),
    Key.integer("rate_limit_max_sources", 100_000, 1, Integer.MAX_VALUE,
      "Source addresses tracked at once; when full, idle ones are forgotten first."),
    Key.integer("receive_buffer_bytes", 65_536, 2_048, 16 << 20,
      "SO_RCVBUF, and the buffer each datagram is read into (raised to `max_datagram_bytes` + 1 if smaller)."));

  private static final Logger LOG = Logger.getLogger("vxnet");

  private DatagramSocket socket;

  /** Several sockets on one port need SO_REUSEPORT, which only the native transport offers. */
  public static int instancesOn(Vertx vertx, int requested) {
    if (requested > 1 && !vertx.isNativeTransportEnabled()) {
      LOG.warning(() -> "udp: running 1 instance instead of " + requested
        + ": sharing a UDP port needs SO_REUSEPORT from the native epoll transport, which is not active");
      return 1;
    }
    return requested;
  }

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    int maxBytes = config.getInteger("max_datagram_bytes");
    Counters counters = new Counters("udp");
    LongAdder received = counters.counter("datagrams_in");
    LongAdder sent = counters.counter("datagrams_out");
    LongAdder oversize = counters.counter("oversize");
    LongAdder limited = counters.counter("rate_limited");
    LongAdder sendErrors = counters.counter("send_errors");
    SourceRateLimiter limiter = SourceRateLimiter.shared(vertx, config.getInteger("rate_limit_per_second"),
      config.getInteger("rate_limit_burst"), config.getInteger("rate_limit_max_sources"));
    // Vert.x reads each datagram into a buffer of this size: at least one byte more than allowed,
    // so that an oversize datagram shows as oversize rather than arriving truncated.
    socket = vertx.createDatagramSocket(new DatagramSocketOptions()
      .setReusePort(vertx.isNativeTransportEnabled())
      .setReceiveBufferSize(Math.max(maxBytes + 1, config.getInteger("receive_buffer_bytes"))));
    socket.handler((DatagramPacket packet) -> {
      received.increment();
      if (packet.data().length() > maxBytes) {
        oversize.increment();
      } else if (!limiter.tryAcquire(packet.sender().host(), System.nanoTime())) {
        limited.increment();
      } else {
        socket.send(packet.data(), packet.sender().port(), packet.sender().host())
          .onComplete(sentOrNot -> (sentOrNot.succeeded() ? sent : sendErrors).increment());
      }
    });
    String host = config.getString("host");
    int port = config.getInteger("port");
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.describe(socket.listen(port, host), "udp", host, port))
      .onSuccess(s -> Listening.bound(vertx, "udp", host, s.localAddress().port()));
  }

  @Override
  public Future<?> stop() {
    return socket == null ? Future.succeededFuture() : socket.close();
  }
}
