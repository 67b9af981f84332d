package dev.vxnet.dns.resolver;

import dev.vxnet.dns.upstream.Answer;
import dev.vxnet.dns.upstream.UpstreamFailure;
import dev.vxnet.dns.wire.ClientQuery;
import io.vertx.core.Future;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Rcode;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The resolver's face for DNS messages, shared by the Do53 (UDP and TCP) and DoT listeners of one verticle instance:
 * a checked query ({@link ClientQuery}) in, the response bytes out, through the same {@link Resolver} and cache as
 * the event bus. The listeners live in the resolver's service and call it directly, without a JSON round trip per
 * query (docs/architecture.md: a core uses its own classes; only other services and the HTTP routes go through the
 * event bus). Never fails: a failure to resolve is a SERVFAIL with an Extended DNS Error (RFC 8914): 22 "No Reachable
 * Authority" with every upstream's failure, 0 "Other" for a busy resolver; a stale answer carries 3 "Stale Answer".
 */
final class WireFace {

  private static final Logger LOG = Logger.getLogger("vxnet");
  private static final List<EDNSOption> STALE = List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER));

  /** What the face counts, in the service's stats. */
  record Counters(LongAdder dropped, LongAdder formErr, LongAdder notImp, LongAdder refused, LongAdder badVers,
                  LongAdder servFail, LongAdder truncated) {
  }

  private final Resolver resolver;
  private final Counters counters;

  WireFace(Resolver resolver, Counters counters) {
    this.resolver = resolver;
    this.counters = counters;
  }

  /**
   * The response to {@code query}, at most {@code maxBytes} long (cut with TC set beyond); {@code null} when the
   * message gets none ({@link ClientQuery.Verdict#DROP}). Completes at once when the answer is cached.
   */
  Future<byte[]> respond(ClientQuery query, int maxBytes) {
    switch (query.verdict()) {
      case DROP -> {
        counters.dropped().increment();
        return Future.succeededFuture();
      }
      case REJECT -> {
        (switch (query.rcode()) {
          case Rcode.FORMERR -> counters.formErr();
          case Rcode.NOTIMP -> counters.notImp();
          case Rcode.BADVERS -> counters.badVers();
          default -> counters.refused();
        }).increment();
        return Future.succeededFuture(query.rejection(maxBytes));
      }
      default -> {
        Future<Resolver.Resolution> resolution;
        try {
          resolution = resolver.resolve(query.name(), query.type());
        } catch (RuntimeException bug) { // answered as SERVFAIL below rather than left without an answer
          resolution = Future.failedFuture(bug);
        }
        return resolution.transform(done -> Future.succeededFuture(done.succeeded()
          ? answer(query, done.result(), maxBytes)
          : failure(query, done.cause(), maxBytes)));
      }
    }
  }

  private byte[] answer(ClientQuery query, Resolver.Resolution resolution, int maxBytes) {
    Answer answer = resolution.answer();
    byte[] response = query.answer(answer.rcode(), answer.answers(), answer.authority(), resolution.stale() ? STALE : List.of(), maxBytes);
    if ((response[2] & 0x02) != 0) { // TC: bit 9 of the flags
      counters.truncated().increment();
    }
    return response;
  }

  private byte[] failure(ClientQuery query, Throwable failure, int maxBytes) {
    counters.servFail().increment();
    if (failure instanceof UpstreamFailure) {
      return query.error(Rcode.SERVFAIL, ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, failure.getMessage(), maxBytes);
    }
    if (!(failure instanceof Resolver.Busy)) {
      LOG.warning(() -> "dns: resolving " + query.name() + " failed: " + failure);
    }
    return query.error(Rcode.SERVFAIL, ExtendedErrorCodeOption.OTHER, failure.getMessage(), maxBytes);
  }
}
