package dev.vxnet.dns.resolver;

import dev.vxnet.dns.wire.ClientQuery;
import dev.vxnet.dns.wire.StreamFrames;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.HalfClosure;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.atomic.LongAdder;

/**
 * The stream side of the DNS listeners: plain DNS over TCP (RFC 7766) and DNS over TLS (RFC 7858), whose messages
 * are framed the same way ({@link StreamFrames}). One connection carries any number of queries, pipelined: each is
 * answered as soon as it is resolved, in any order, matched by the client through its ID (RFC 7766 section 6.2.1.1).
 * At most {@code maxPipelined} are answered at once per connection; beyond that the connection is not read until
 * answers go out. A message that is no query (shorter than a header, a response) or a zero length closes the
 * connection: the stream can no longer be trusted. Connections over {@code dns.max_connections} on this node are
 * closed at once; idle ones are closed by the server's idle timeout. A client may half-close after its queries (its FIN
 * ends its input only, {@link HalfClosure}): every query it sent is still answered, then the connection closes.
 */
final class StreamListener {

  /** What a stream listener counts, in the service's stats. */
  record Counters(LongAdder queries, LongAdder connections, LongAdder refusedConnections) {
  }

  private final WireFace face;
  private final ConnectionLimit limit;
  private final boolean countedAtAccept;
  private final int maxPipelined;
  private final Counters counters;

  /**
   * {@code countedAtAccept}: the connections are TLS ones that {@link dev.vxnet.net.TlsAcceptGate} admitted within
   * {@code limit} when they were accepted, so they are not counted again here.
   */
  StreamListener(WireFace face, ConnectionLimit limit, boolean countedAtAccept, int maxPipelined, Counters counters) {
    this.face = face;
    this.limit = limit;
    this.countedAtAccept = countedAtAccept;
    this.maxPipelined = maxPipelined;
    this.counters = counters;
  }

  /** Serves every connection of {@code server}. */
  NetServer serve(NetServer server) {
    return server.connectHandler(this::connected);
  }

  private void connected(NetSocket socket) {
    if (!countedAtAccept && !limit.tryAcquire()) {
      counters.refusedConnections().increment();
      socket.close();
      return;
    }
    counters.connections().increment();
    if (!countedAtAccept) {
      socket.closeHandler(closed -> limit.release());
    }
    socket.exceptionHandler(failure -> socket.close()); // a reset or a failed handshake: the client is gone
    int[] answering = {0};
    boolean[] inputEnded = {false};
    HalfClosure.onInputEnd(socket, () -> {
      inputEnded[0] = true;
      if (answering[0] == 0) {
        HalfClosure.closeWhenDone(() -> answering[0] == 0, socket::close);
      }
    });
    socket.handler(new StreamFrames(message -> {
      ClientQuery query = ClientQuery.parse(message);
      if (message.length == 0 || query.verdict() == ClientQuery.Verdict.DROP) {
        face.respond(query, 0); // counted as dropped
        socket.close();
        return;
      }
      counters.queries().increment();
      if (++answering[0] == maxPipelined) {
        socket.pause();
      }
      face.respond(query, StreamFrames.MAX_MESSAGE).onSuccess(response -> {
        if (answering[0]-- == maxPipelined) {
          socket.resume();
        }
        socket.write(StreamFrames.frame(response));
        if (inputEnded[0] && answering[0] == 0) {
          // the last answer asked for before the FIN, unless a query read before it is still held for a paused socket
          HalfClosure.closeWhenDone(() -> answering[0] == 0, socket::close);
        }
      });
    }));
  }
}
