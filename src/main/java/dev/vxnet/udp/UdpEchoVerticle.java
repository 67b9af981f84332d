package dev.vxnet.udp;

import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.net.Listening;
import dev.vxnet.net.ReflectionGuard;
import dev.vxnet.net.SourceRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.SocketAddressImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * UDP echo (RFC 862): each datagram goes back to its sender, a zero-length one as a zero-length answer
 * ({@link EmptyDatagram}), within a size bound and a per-source rate limit, and never to a source that is a service
 * rather than a client ({@link dev.vxnet.net.ReflectionGuard}); the checks are {@link EchoPolicy}'s. On a native transport (epoll, io_uring) through {@link NativeEcho} (batched reads and sends), else
 * through Vert.x's datagram socket.
 */
public final class UdpEchoVerticle extends ConfiguredVerticle<UdpSettings> {

  private static final Logger LOG = LoggerFactory.getLogger(UdpEchoVerticle.class);

  /** The native echo, closed on undeploy; null on the Vert.x socket's path (Vert.x closes that). */
  private NativeEcho.Bound echo;

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
      LOG.warn("udp: running 1 instance instead of " + requested
        + ": sharing a UDP port needs SO_REUSEPORT from a native transport (epoll or io_uring), which is not active");
      return 1;
    }
    return requested;
  }

  @Override
  public Future<?> start() {
    UdpSettings settings = settings();
    EchoCounters counters = new EchoCounters();
    EchoPolicy policy = new EchoPolicy(settings.maxDatagramBytes(), SourceRateLimiter.shared(vertx, "udp",
      settings.rateLimitPerSecond(), settings.rateLimitBurst(), settings.rateLimitMaxSources()), new ReflectionGuard(vertx));
    String host = settings.host();
    int port = settings.port();
    // recorded before the bind: Vert.x's datagram metrics (the JDK path) are made while binding and label by address
    Listening.record("udp", host, port);
    Future<Integer> listening;
    if (NativeEcho.usable(vertx)) {
      listening = NativeEcho.bind(vertx, context, host, port, settings.receiveBufferBytes(), policy, counters)
        .map(bound -> {
          this.echo = bound;
          LOG.debug("udp: reading on {}{}", bound.transport(), bound.ownLoop() != null ? ", on an event loop of its own" : "");
          return ((InetSocketAddress) bound.channel().localAddress()).getPort();
        });
    } else {
      listening = listenWithVertx(settings, policy, counters).map(s -> s.localAddress().port());
    }
    return StatsReporter.register(vertx, counters.counters)
      .compose(v -> Listening.describe(listening, "udp", host, port))
      .onSuccess(bound -> Listening.bound(vertx, "udp", host, bound))
      .onFailure(failure -> {
        if (echo != null) { // bound, but the start failed after it: Vert.x calls no stop() then
          echo.close(context);
        }
      });
  }

  /** The JDK transport's path: Vert.x's datagram socket, one datagram per read and per send. */
  private Future<DatagramSocket> listenWithVertx(UdpSettings settings, EchoPolicy policy, EchoCounters counters) {
    // Vert.x reads each datagram into a buffer of this size: at least one byte more than allowed,
    // so that an oversize datagram shows as oversize rather than arriving truncated.
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
      .setReusePort(vertx.isNativeTransportEnabled())
      .setReceiveBufferSize(Math.max(policy.maxDatagramBytes() + 1, settings.receiveBufferBytes())));
    socket.handler((DatagramPacket packet) -> {
      SocketAddress sender = packet.sender();
      int length = packet.data().length();
      if (counters.admit(policy.decide(length, address(sender), sender.port(), System.nanoTime()), length)) {
        (length == 0 ? EmptyDatagram.send(socket, address(sender), sender.port())
          : socket.send(packet.data(), sender.port(), sender.host()))
          .onComplete(sentOrNot -> (sentOrNot.succeeded() ? counters.sent : counters.sendErrors).increment());
      }
    });
    return socket.listen(settings.port(), settings.host());
  }

  /** The sender's IP address: Vert.x keeps the one it received from; a literal is parsed without a lookup. */
  private static InetAddress address(SocketAddress sender) {
    if (sender instanceof SocketAddressImpl impl && impl.ipAddress() != null) {
      return impl.ipAddress();
    }
    try {
      return InetAddress.getByName(sender.hostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("udp: a sender address that is no IP literal: " + sender, e);
    }
  }

  @Override
  public Future<?> stop() {
    return echo == null ? Future.succeededFuture() : echo.close(context);
  }
}
