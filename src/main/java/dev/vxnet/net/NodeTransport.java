package dev.vxnet.net;

import io.netty.bootstrap.ServerBootstrap;
import io.vertx.core.Vertx;
import dev.vxnet.config.Describe;
import dev.vxnet.config.StartupException;
import io.vertx.core.impl.transports.EpollTransport;
import io.vertx.core.impl.transports.IoUringTransport;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;

import java.util.Optional;

/**
 * The Vert.x transport of a vxnet node: Vert.x's own (native io_uring where the kernel allows it, else native epoll,
 * else the JDK's NIO; or the one {@code node.transport} names) with a
 * {@link TlsAcceptGate} on every TLS listener, so that a TLS connection counts against the node's connection limit
 * from the moment it is accepted rather than once its handshake is done (Vert.x hands it to the server only then, and
 * has no public hook before). Without it, connections that never finish a handshake are bounded in time but not in
 * number. The launcher and the tests' nodes build their Vert.x with it ({@code VertxBuilder.withTransport}); a
 * Vert.x built without it still works, and counts TLS connections from the handshake on.
 *
 * <p>It extends Vert.x's transport classes (their package is Vert.x's implementation, pinned by the build) so that
 * everything else, {@code Vertx.isNativeTransportEnabled()} included, stays as Vert.x has it.
 */
public final class NodeTransport implements Transport {

  private final String name;
  private final io.vertx.core.spi.transport.Transport implementation;

  private NodeTransport(String name, io.vertx.core.spi.transport.Transport implementation) {
    this.name = name;
    this.implementation = implementation;
  }

  /**
   * With {@code preferNative}, native io_uring when it loads here, else native epoll; else, or when neither loads, NIO;
   * each with the gate. io_uring first: measured a quarter to a half more TCP and HTTPS throughput per core than epoll
   * (docs/benchmarks.md); containers often forbid its system calls, and then epoll is the choice.
   */
  public static NodeTransport of(boolean preferNative) {
    if (preferNative && ioUringAvailable()) {
      return new NodeTransport("io_uring", new GatedIoUring());
    }
    if (preferNative && epollAvailable()) {
      return new NodeTransport("epoll", new GatedEpoll());
    }
    return new NodeTransport("nio", new GatedNio());
  }

  private static boolean ioUringAvailable() {
    IoUringAssertions.switchOff(); // before Netty's io_uring classes load, as the check below loads them
    return Transport.IO_URING != null && Transport.IO_URING.available();
  }

  /** Why io_uring does not load here (Netty's reason, or that it is not on the class path); empty when it does. */
  public static Optional<String> ioUringUnavailabilityCause() {
    if (ioUringAvailable()) {
      return Optional.empty();
    }
    return Optional.of(Transport.IO_URING == null ? "netty-transport-native-io_uring is not on the class path"
      : Describe.failure(Transport.IO_URING.unavailabilityCause()));
  }

  /** Whether native epoll loads here: {@code auto}'s second choice, and the UDP echo's own loops on an io_uring node. */
  public static boolean epollAvailable() {
    return Transport.EPOLL != null && Transport.EPOLL.available();
  }

  /**
   * The transport {@code node.transport} names: {@code auto} as {@link #of(boolean) of(true)}, or {@code epoll},
   * {@code io_uring} or {@code nio}, each with the gate.
   *
   * @throws StartupException naming {@code node.transport} when the one named does not load here, with Netty's reason
   */
  public static NodeTransport of(String choice) {
    return switch (choice) {
      case "auto" -> of(true);
      case "nio" -> of(false);
      case "epoll" -> {
        requireAvailable(choice, Transport.EPOLL);
        yield new NodeTransport("epoll", new GatedEpoll());
      }
      case "io_uring" -> {
        IoUringAssertions.switchOff();
        requireAvailable(choice, Transport.IO_URING);
        yield new NodeTransport("io_uring", new GatedIoUring());
      }
      default -> throw new StartupException("node.transport: expected one of auto, epoll, io_uring, nio, got '" + choice + "'");
    };
  }

  private static void requireAvailable(String choice, Transport transport) {
    if (transport == null || !transport.available()) {
      throw new StartupException("node.transport: " + choice + " is not available here ("
        + (transport == null ? "not on the class path" : Describe.failure(transport.unavailabilityCause())) + "); auto picks the first of io_uring, epoll and nio that is");
    }
  }

  /** The name of {@code vertx}'s transport as the start line says it: epoll, io_uring or nio (and Vert.x's own otherwise). */
  public static String nameOf(Vertx vertx) {
    io.vertx.core.spi.transport.Transport transport = ((VertxInternal) vertx).transport();
    return transport instanceof IoUringTransport ? "io_uring" : transport instanceof EpollTransport ? "epoll"
      : transport instanceof NioTransport ? "nio" : transport.getClass().getSimpleName();
  }

  /**
   * Why {@code vertx} runs on NIO rather than native epoll: Vert.x's own record of it, or, for a Vert.x built with a
   * NodeTransport (which picks NIO itself when epoll does not load), epoll's load failure; "not asked for" when it
   * was not preferred.
   */
  public static String epollUnavailabilityCause(Vertx vertx) {
    if (vertx.unavailableNativeTransportCause() != null) {
      return String.valueOf(vertx.unavailableNativeTransportCause());
    }
    if (Transport.EPOLL == null) {
      return "netty-transport-native-epoll is not on the class path";
    }
    return Transport.EPOLL.available() ? "not asked for" : String.valueOf(Transport.EPOLL.unavailabilityCause());
  }

  /** The gate of {@code vertx}'s TLS listeners; empty when {@code vertx} was not built with a NodeTransport. */
  public static Optional<TlsAcceptGate> gate(Vertx vertx) {
    return vertx instanceof VertxInternal internal && internal.transport() instanceof Gated gated
      ? Optional.of(gated.gate()) : Optional.empty();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Throwable unavailabilityCause() {
    return null;
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /** A transport whose TLS server sockets pass each accepted connection through its gate. */
  private interface Gated {
    TlsAcceptGate gate();

    default void gate(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      if (options.isSsl() && !domainSocket) { // the gate knows a listener by its port
        bootstrap.handler(gate()); // the server socket's own pipeline: it sees each connection as it is accepted
      }
    }
  }

  private static final class GatedNio extends NioTransport implements Gated {
    private final TlsAcceptGate gate = new TlsAcceptGate();

    @Override
    public TlsAcceptGate gate() {
      return gate;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      super.configure(options, domainSocket, bootstrap);
      gate(options, domainSocket, bootstrap);
    }
  }

  private static final class GatedEpoll extends EpollTransport implements Gated {
    private final TlsAcceptGate gate = new TlsAcceptGate();

    @Override
    public TlsAcceptGate gate() {
      return gate;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      super.configure(options, domainSocket, bootstrap);
      gate(options, domainSocket, bootstrap);
    }
  }

  private static final class GatedIoUring extends IoUringTransport implements Gated {
    private final TlsAcceptGate gate = new TlsAcceptGate();

    @Override
    public TlsAcceptGate gate() {
      return gate;
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      super.configure(options, domainSocket, bootstrap);
      gate(options, domainSocket, bootstrap);
    }
  }
}
