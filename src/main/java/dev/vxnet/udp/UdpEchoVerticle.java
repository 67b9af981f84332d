package dev.vxnet.udp;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.Listening;
import dev.vxnet.net.ReflectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;

import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * UDP echo (RFC 862): each datagram goes back to its sender, a zero-length one as a zero-length answer, within a size
 * bound and a per-source rate limit, and never to a source that is a service rather than a client
 * ({@link ReflectionGuard}).
 */
public final class UdpEchoVerticle extends ConfiguredVerticle<UdpSettings> {

  private static final Logger LOG = Logger.getLogger("vxnet");

  /** Deployed on its own: its {@code udp} section is the deployment config. */
  public UdpEchoVerticle() {
    this(null);
  }

  public UdpEchoVerticle(UdpSettings settings) {
    super(UdpSettings.SECTION, settings);
  }

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
    UdpSettings settings = settings();
    int maxBytes = settings.maxDatagramBytes();
    Counters counters = new Counters("udp");
    LongAdder received = counters.counter("datagrams_in");
    LongAdder sent = counters.counter("datagrams_out");
    LongAdder oversize = counters.counter("oversize");
    LongAdder limited = counters.counter("rate_limited");
    LongAdder sendErrors = counters.counter("send_errors");
    LongAdder refusedSources = counters.counter("refused_sources");
    SourceRateLimiter limiter = SourceRateLimiter.shared(vertx, settings.rateLimitPerSecond(),
      settings.rateLimitBurst(), settings.rateLimitMaxSources());
    // Vert.x reads each datagram into a buffer of this size: at least one byte more than allowed,
    // so that an oversize datagram shows as oversize rather than arriving truncated.
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
      .setReusePort(vertx.isNativeTransportEnabled())
      .setReceiveBufferSize(Math.max(maxBytes + 1, settings.receiveBufferBytes())));
    ReflectionGuard guard = new ReflectionGuard(vertx);
    socket.handler((DatagramPacket packet) -> {
      received.increment();
      int length = packet.data().length();
      if (length > maxBytes) {
        oversize.increment();
      } else if (guard.refusal(packet.sender().port()).isPresent()) {
        refusedSources.increment();
      } else if (!limiter.tryAcquire(packet.sender().host(), System.nanoTime())) {
        limited.increment();
      } else {
        (length == 0 ? EmptyDatagram.send(socket, packet.sender().host(), packet.sender().port())
          : socket.send(packet.data(), packet.sender().port(), packet.sender().host()))
          .onComplete(sentOrNot -> (sentOrNot.succeeded() ? sent : sendErrors).increment());
      }
    });
    String host = settings.host();
    int port = settings.port();
    return StatsReporter.register(vertx, counters)
      .compose(v -> Listening.describe(socket.listen(port, host), "udp", host, port))
      .onSuccess(s -> Listening.bound(vertx, "udp", host, s.localAddress().port()));
  }
}
