package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Counters;
import dev.vxnet.config.Describe;
import io.vertx.core.Future;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Asks the upstreams in their configured order until one answers NOERROR or NXDOMAIN; a timeout, a network
 * error, SERVFAIL, REFUSED or any other response code moves on to the next. When none answers, fails with an
 * {@link UpstreamFailure} naming every upstream tried and how it failed.
 */
final class Forwarder {

  private final List<Upstream> upstreams;
  private final DnsTransport transport;
  private final long timeoutMs;
  private final LongAdder queries;
  private final LongAdder errors;
  private final Function<Upstream, Counters.Histogram> latency;
  /** Query IDs an off-path attacker cannot guess (with the random source port, against cache poisoning). */
  private final SecureRandom ids = new SecureRandom();

  /** {@code latency}: where the time of each exchange with an upstream is recorded (answered or not). */
  Forwarder(List<Upstream> upstreams, DnsTransport transport, long timeoutMs, LongAdder queries, LongAdder errors,
            Function<Upstream, Counters.Histogram> latency) {
    this.upstreams = List.copyOf(upstreams);
    this.transport = transport;
    this.timeoutMs = timeoutMs;
    this.queries = queries;
    this.errors = errors;
    this.latency = latency;
  }

  Future<Answer> forward(Name name, int type) {
    return attempt(0, name, type, new ArrayList<>());
  }

  private Future<Answer> attempt(int index, Name name, int type, List<String> failures) {
    if (index == upstreams.size()) {
      return Future.failedFuture(new UpstreamFailure("no upstream answered " + name + " " + Type.string(type)
        + " (tried " + upstreams.size() + "): " + String.join("; ", failures)));
    }
    Upstream upstream = upstreams.get(index);
    queries.increment();
    long sent = System.nanoTime();
    return transport.exchange(upstream, DnsMessages.query(name, type, ids.nextInt(0x10000)), timeoutMs)
      .transform(done -> {
        latency.apply(upstream).record(System.nanoTime() - sent);
        int rcode = done.succeeded() ? done.result().getRcode() : -1;
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
          return Future.succeededFuture(Answer.from(done.result(), type, upstream));
        }
        errors.increment();
        failures.add(upstream + ": " + (done.succeeded() ? "answered " + Rcode.string(rcode) : Describe.failure(done.cause())));
        return attempt(index + 1, name, type, failures);
      });
  }

}
