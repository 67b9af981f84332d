package dev.vxnet.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admits each connection a TLS listener accepts within the listener's and the node's {@link ConnectionLimit}, before
 * its handshake: one over either is closed at once (no handshake, no descriptor kept) and counted in the listener's
 * {@code refused}; one admitted holds its slots until it closes. Vert.x hands a TLS connection to its server only once
 * the handshake is done, so the listener does not count it again ({@link #countsAtAccept}). Installed by
 * {@link NodeTransport} on the server socket's pipeline, where Netty passes it each accepted channel before registering
 * it. A listener is known by its local port ({@link #register}); a connection accepted on a port not registered yet
 * (the moment between binding port 0 and learning its number), or of a TLS server vxnet does not register (one a
 * verticle of the {@code verticles} section opens), counts against the node's limit only, and its refusals are in no
 * counter. A registration outlives its listener: a listener started again on the port replaces it. One gate per
 * Vert.x instance, shared by all its TLS listeners and their event loops, so its state is thread-safe.
 */
@ChannelHandler.Sharable
public final class TlsAcceptGate extends ChannelInboundHandlerAdapter {

  private volatile ConnectionLimit node;
  private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();

  private record Listener(ConnectionLimit limit, LongAdder refused) {
  }

  TlsAcceptGate() {
  }

  /**
   * Whether {@code vertx}'s TLS connections are counted when accepted (it was built with a NodeTransport): a TLS
   * listener then counts none of its connections itself.
   */
  public static boolean countsAtAccept(Vertx vertx) {
    return NodeTransport.gate(vertx).map(gate -> gate.node != null).orElse(false);
  }

  /**
   * Admits the connections accepted on local {@code port} (1-65535) within {@code limit} (the listener's, within the
   * node's) and counts those refused in {@code refused}. Register before listening where the port is known, so that
   * every connection is counted; the last registration of a port applies. Nothing happens without a gate.
   */
  public static void register(Vertx vertx, int port, ConnectionLimit limit, LongAdder refused) {
    NodeTransport.gate(vertx).ifPresent(gate -> gate.listeners.put(port, new Listener(limit, refused)));
  }

  /** The node limit to admit against; until it is set, connections pass uncounted (ConnectionLimit sets it first). */
  void limit(ConnectionLimit node) {
    this.node = node;
  }

  boolean hasLimit() {
    return node != null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ConnectionLimit nodeLimit = node;
    if (nodeLimit == null || !(msg instanceof Channel child) || !(ctx.channel().localAddress() instanceof InetSocketAddress local)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Listener listener = listeners.get(local.getPort());
    ConnectionLimit limit = listener == null ? nodeLimit : listener.limit; // a listener's limit takes the node's too
    if (!limit.tryAcquire()) {
      if (listener != null) {
        listener.refused.increment();
      }
      child.unsafe().closeForcibly(); // not registered yet: what Netty's own acceptor does with a child it drops
      return;
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        limit.release();
      }
    };
    child.closeFuture().addListener(closed -> release.run());
    ctx.fireChannelRead(msg);
    if (!child.isOpen() && !child.isRegistered()) {
      // Netty's acceptor could not register it (the server is closing) and closed it forcibly, which does not
      // complete its close future
      release.run();
    }
  }
}
