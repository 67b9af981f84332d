package dev.vxnet.dns.resolver;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One query to one upstream, on the event loop: over UDP from a fresh socket (so the kernel picks a new random
 * source port for every query), then over TCP (RFC 7766 length-prefixed) when the UDP answer is truncated.
 * Fails with an {@link UpstreamFailure} saying what went wrong.
 */
final class DnsTransport {

  /** Read buffer for one datagram: more than the EDNS payload advertised, so that a larger answer is not cut. */
  private static final int DATAGRAM_BUFFER = 4096;

  private final Vertx vertx;
  private final NetClient tcpClient;
  private final LongAdder tcpRetries;

  DnsTransport(Vertx vertx, NetClient tcpClient, LongAdder tcpRetries) {
    this.vertx = vertx;
    this.tcpClient = tcpClient;
    this.tcpRetries = tcpRetries;
  }

  Future<Message> exchange(Upstream upstream, Message query, long timeoutMs) {
    return udp(upstream, query, timeoutMs).compose(response -> {
      if (!response.getHeader().getFlag(Flags.TC)) {
        return Future.succeededFuture(response);
      }
      tcpRetries.increment();
      return tcp(upstream, query, timeoutMs).recover(failure -> Future.failedFuture(
        new UpstreamFailure("answer truncated over UDP, then over TCP: " + failure.getMessage())));
    });
  }

  private Future<Message> udp(Upstream upstream, Message query, long timeoutMs) {
    Promise<Message> result = Promise.promise();
    DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
      .setIpV6(upstream.ipv6())
      .setReceiveBufferSize(DATAGRAM_BUFFER));
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new UpstreamFailure("no answer within " + timeoutMs + " ms")));
    socket.handler(packet -> {
      byte[] data = packet.data().getBytes();
      // Anything not from the upstream or not carrying the query's ID is a stray or a spoofing attempt: ignored.
      if (upstream.sentBy(packet.sender().host(), packet.sender().port()) && data.length >= 2
        && ((data[0] & 0xff) << 8 | (data[1] & 0xff)) == query.getHeader().getID()) {
        try {
          Message response = new Message(data);
          if (DnsMessages.answers(response, query)) {
            result.tryComplete(response);
          }
        } catch (IOException e) {
          result.tryFail(new UpstreamFailure("malformed answer over UDP: " + e.getMessage()));
        }
      }
    });
    socket.exceptionHandler(failure -> result.tryFail(new UpstreamFailure("UDP error: " + failure.getMessage())));
    socket.listen(0, upstream.ipv6() ? "::" : "0.0.0.0")
      .compose(listening -> socket.send(Buffer.buffer(query.toWire()), upstream.port(), upstream.host()))
      .onFailure(failure -> result.tryFail(new UpstreamFailure("cannot send over UDP: " + failure.getMessage())));
    return result.future().onComplete(done -> {
      vertx.cancelTimer(timer);
      socket.close();
    });
  }

  private Future<Message> tcp(Upstream upstream, Message query, long timeoutMs) {
    Promise<Message> result = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, id -> result.tryFail(new UpstreamFailure("no answer over TCP within " + timeoutMs + " ms")));
    result.future().onComplete(done -> vertx.cancelTimer(timer));
    tcpClient.connect(upstream.port(), upstream.host()).onComplete(connected -> {
      if (connected.failed()) {
        result.tryFail(new UpstreamFailure("cannot connect over TCP: " + connected.cause().getMessage()));
        return;
      }
      NetSocket socket = connected.result();
      result.future().onComplete(done -> socket.close());
      Buffer received = Buffer.buffer();
      socket.handler(data -> {
        received.appendBuffer(data);
        if (received.length() >= 2 && received.length() >= 2 + received.getUnsignedShort(0)) {
          try {
            result.tryComplete(tcpAnswer(received.getBytes(2, 2 + received.getUnsignedShort(0)), query));
          } catch (UpstreamFailure failure) {
            result.tryFail(failure);
          }
        }
      });
      socket.closeHandler(closed -> result.tryFail(new UpstreamFailure("TCP connection closed before a whole answer")));
      socket.exceptionHandler(failure -> result.tryFail(new UpstreamFailure("TCP error: " + failure.getMessage())));
      byte[] wire = query.toWire();
      socket.write(Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length).appendBytes(wire));
    });
    return result.future();
  }

  private static Message tcpAnswer(byte[] data, Message query) {
    Message response;
    try {
      response = new Message(data);
    } catch (IOException e) {
      throw new UpstreamFailure("malformed answer over TCP: " + e.getMessage());
    }
    if (!DnsMessages.answers(response, query)) {
      throw new UpstreamFailure("the answer over TCP is not for the query sent (other ID or question)");
    }
    return response;
  }
}
