package dev.vxnet.dns.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import org.xbill.DNS.Message;

/**
 * Sends queries to one upstream over its protocol, on the event loop of the verticle instance that made it.
 * Fails with an {@link UpstreamFailure} saying what went wrong.
 */
interface UpstreamClient {

  /** Sends {@code query} and completes with the response that answers it (same ID and question), within {@code timeoutMs}. */
  Future<Message> exchange(Message query, long timeoutMs);

  /** Closes what the client keeps open (a TLS connection, an HTTP/2 pool). */
  Future<Void> close();

  /**
   * The promise of one exchange's answer on {@code context}: it fails with an {@link UpstreamFailure} "no answer
   * {@code over} within {@code timeoutMs} ms" when no answer completes it in time, and its timer is cancelled as
   * soon as it completes.
   *
   * @param over how the query went, with a leading space (" over TLS"), or "" for plain DNS
   */
  static Promise<Message> answerWithin(ContextInternal context, long timeoutMs, String over) {
    Promise<Message> result = context.promise();
    long timer = context.setTimer(timeoutMs, id -> result.tryFail(new UpstreamFailure("no answer" + over + " within " + timeoutMs + " ms")));
    result.future().onComplete(done -> context.owner().cancelTimer(timer));
    return result;
  }
}
