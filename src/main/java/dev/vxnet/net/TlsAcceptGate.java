package dev.vxnet.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admits each connection a TLS listener accepts within the node's {@link ConnectionLimit}, before its handshake: one
 * over the limit is closed at once (no handshake, no descriptor kept) and counted in its listener's {@code refused};
 * one admitted holds its node slot until it closes. The listener then counts it against its own limit once Vert.x
 * hands it over ({@link ConnectionLimit#tryAcquire(boolean)} with {@code true}). Installed by {@link NodeTransport} on
 * the server socket's pipeline, where Netty passes it each accepted channel before registering it; one gate per
 * Vert.x instance, shared by all its TLS listeners and their event loops, so its state is thread-safe.
 */
@ChannelHandler.Sharable
public final class TlsAcceptGate extends ChannelInboundHandlerAdapter {

  private volatile ConnectionLimit node;
  private final Map<Integer, LongAdder> refusedByPort = new ConcurrentHashMap<>();

  TlsAcceptGate() {
  }

  /** Whether {@code vertx}'s TLS connections hold their node slot from accept (it was built with a NodeTransport). */
  public static boolean countsAtAccept(Vertx vertx) {
    return NodeTransport.gate(vertx).map(gate -> gate.node != null).orElse(false);
  }

  /** The node limit to admit against; until it is set, connections pass uncounted (ConnectionLimit sets it first). */
  void limit(ConnectionLimit node) {
    this.node = node;
  }

  boolean hasLimit() {
    return node != null;
  }

  /**
   * Counts the connections refused on local {@code port} (a TLS listener's bound port) in {@code refused}, the
   * listener's own counter; the last listener to register a port is counted.
   */
  public static void countRefusals(Vertx vertx, int port, LongAdder refused) {
    NodeTransport.gate(vertx).ifPresent(gate -> gate.refusedByPort.put(port, refused));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ConnectionLimit limit = node;
    if (limit != null && msg instanceof Channel child) {
      if (!limit.takeOwn()) {
        LongAdder refused = refusedByPort.get(((InetSocketAddress) ctx.channel().localAddress()).getPort());
        if (refused != null) {
          refused.increment();
        }
        child.unsafe().closeForcibly(); // not registered yet: what Netty's own acceptor does with a child it drops
        return;
      }
      child.closeFuture().addListener(closed -> limit.releaseOwn());
    }
    ctx.fireChannelRead(msg);
  }
}
