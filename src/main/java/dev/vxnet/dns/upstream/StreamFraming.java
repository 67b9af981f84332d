package dev.vxnet.dns.upstream;

import dev.vxnet.dns.wire.DnsMessages;
import dev.vxnet.dns.wire.StreamFrames;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.net.ConnectException;

/** One query on a connection of its own (plain TCP after a truncated UDP answer): connect, ask, read one answer, close. */
final class StreamFraming {

  private StreamFraming() {
  }

  static Future<Message> exchangeOnce(ContextInternal context, NetClient client, ConnectOptions options, Message query,
                                      long timeoutMs) {
    Promise<Message> result = UpstreamClient.answerWithin(context, timeoutMs, " over TCP");
    client.connect(options).onComplete(connected -> {
      if (connected.failed()) {
        result.tryFail(connectFailure(connected.cause()));
        return;
      }
      NetSocket socket = connected.result();
      result.future().onComplete(done -> socket.close());
      socket.handler(new StreamFrames(message -> {
        try {
          result.tryComplete(answer(message, query));
        } catch (UpstreamFailure failure) {
          result.tryFail(failure);
        }
      }));
      socket.closeHandler(closed -> result.tryFail(new UpstreamFailure("connection closed before a whole answer")));
      socket.exceptionHandler(failure -> result.tryFail(new UpstreamFailure("TCP error: " + failure.getMessage())));
      socket.write(StreamFrames.frame(query.toWire()));
    });
    return result.future();
  }

  /** The response in {@code message}, if it answers {@code query}. */
  static Message answer(byte[] message, Message query) {
    Message response;
    try {
      response = new Message(message);
    } catch (IOException | RuntimeException e) {
      throw new UpstreamFailure("malformed answer: " + e.getMessage());
    }
    if (!DnsMessages.answers(response, query)) {
      throw new UpstreamFailure("the answer is not for the query sent (other ID or question)");
    }
    return response;
  }

  /** A refused connection is known at once: nothing listens there. */
  static UpstreamFailure connectFailure(Throwable cause) {
    boolean refused = cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused");
    return new UpstreamFailure((refused ? "connection refused: nothing listens there" : "cannot connect: " + cause.getMessage()), refused);
  }
}
