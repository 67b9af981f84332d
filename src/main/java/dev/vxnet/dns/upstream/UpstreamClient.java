package dev.vxnet.dns.upstream;

import io.vertx.core.Future;
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
}
