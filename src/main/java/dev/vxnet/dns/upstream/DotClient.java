package dev.vxnet.dns.upstream;

import dev.vxnet.dns.wire.StreamFrames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.xbill.DNS.Message;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DNS over TLS to one upstream (RFC 7858): one connection, opened at the first query and kept, every query of this
 * verticle instance pipelined on it and matched to its answer by ID (answers may come in any order, RFC 7766 section
 * 6.2.1.1). The certificate is verified against the upstream's host name (SNI too) by the TLS client the caller
 * configures, and, with a pin, the public key must match it before any query is written. When the connection
 * closes, every query waiting on it fails and the next one opens a new connection.
 */
final class DotClient implements UpstreamClient {

  private final ContextInternal context;
  private final Upstream upstream;
  private final NetClient tlsClient;
  private final SecureRandom ids = new SecureRandom();
  private final Map<Integer, Pending> pending = new HashMap<>();
  private Future<NetSocket> connection;

  private record Pending(Message query, Promise<Message> result) {
  }

  DotClient(ContextInternal context, Upstream upstream, NetClient tlsClient) {
    this.context = context;
    this.upstream = upstream;
    this.tlsClient = tlsClient;
  }

  @Override
  public Future<Message> exchange(Message query, long timeoutMs) {
    Promise<Message> result = UpstreamClient.answerWithin(context, timeoutMs, " over TLS");
    connection().onComplete(connected -> {
      if (connected.failed()) {
        result.tryFail(connected.cause());
        return;
      }
      if (result.future().isComplete()) {
        return;
      }
      int id = query.getHeader().getID();
      while (pending.containsKey(id)) { // IDs must be unique among the queries on one connection
        id = ids.nextInt(0x10000);
      }
      query.getHeader().setID(id);
      int key = id;
      pending.put(key, new Pending(query, result));
      result.future().onComplete(done -> pending.remove(key));
      connected.result().write(StreamFrames.frame(query.toWire()));
    });
    return result.future();
  }

  private Future<NetSocket> connection() {
    if (connection != null && !(connection.isComplete() && connection.failed())) {
      return connection;
    }
    ConnectOptions options = new ConnectOptions()
      .setRemoteAddress(SocketAddress.inetSocketAddress(new InetSocketAddress(upstream.address(), upstream.port())))
      .setHost(upstream.host())          // the name the certificate is verified against
      .setPort(upstream.port())
      .setSniServerName(Tls.sniName(upstream.host()))
      .setSsl(true);
    Future<NetSocket> opening = tlsClient.connect(options)
      .recover(failure -> Future.failedFuture(Tls.failure(failure)))
      .compose(socket -> Tls.checkPin(upstream, Tls.peer(socket::peerCertificates))
        .onFailure(mismatch -> socket.close())
        .map(socket));
    connection = opening;
    opening.onSuccess(socket -> {
      socket.handler(new StreamFrames(this::received));
      socket.closeHandler(closed -> closed(socket, "the connection closed before the answer"));
      socket.exceptionHandler(failure -> closed(socket, "TLS error: " + failure.getMessage()));
    });
    return opening;
  }

  private void received(byte[] message) {
    if (message.length < 2) {
      return;
    }
    Pending waiting = pending.get((message[0] & 0xff) << 8 | (message[1] & 0xff));
    if (waiting == null) {
      return; // late: its query timed out
    }
    try {
      waiting.result().tryComplete(StreamFraming.answer(message, waiting.query()));
    } catch (UpstreamFailure failure) {
      waiting.result().tryFail(failure);
    }
  }

  private void closed(NetSocket socket, String why) {
    if (connection != null && connection.succeeded() && connection.result() == socket) {
      connection = null;
    }
    for (Pending waiting : List.copyOf(pending.values())) {
      waiting.result().tryFail(new UpstreamFailure(why));
    }
  }

  @Override
  public Future<Void> close() {
    Future<NetSocket> open = connection;
    connection = null;
    return open != null && open.succeeded() ? open.result().close() : Future.succeededFuture();
  }
}
