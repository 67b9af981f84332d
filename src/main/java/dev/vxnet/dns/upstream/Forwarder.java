package dev.vxnet.dns.upstream;

import dev.vxnet.bus.Counters;
import dev.vxnet.config.Describe;
import dev.vxnet.dns.wire.DnsMessages;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asks the upstreams, in the order of the {@link Strategy}, until one answers NOERROR or NXDOMAIN; a timeout, a
 * network error, SERVFAIL, REFUSED or any other response code moves on to the next. When none answers, fails with an
 * {@link UpstreamFailure} naming every upstream tried and how it failed. An upstream that gives no answer
 * {@code downAfter} times in a row (timeouts, network and TLS errors, malformed answers; an answer such as SERVFAIL or
 * REFUSED shows it is there), or where nothing listens (ICMP port unreachable, connection refused), is marked down: questions
 * skip it while another is up, and every {@code retryMs} a background probe ({@code . NS}) asks it again; any answer
 * brings it back. Used from the event loop of one verticle instance.
 */
public final class Forwarder {

  /** The stats group of the per-upstream counters: {@code upstreams.<upstream>.queries} and so on. */
  public static final String GROUP = "upstreams";

  /**
   * How the forwarder works.
   *
   * @param strategy  order of the upstreams for each question
   * @param timeoutMs wait for one upstream's answer, ms
   * @param downAfter failures in a row that mark an upstream down
   * @param retryMs   how often an upstream marked down is probed, ms
   * @param caPem     PEM of the CAs trusted for tls:// and https:// upstreams; {@code null}: the JVM's
   */
  public record Options(Strategy strategy, int timeoutMs, int downAfter, int retryMs, Buffer caPem) {
  }

  private final ContextInternal context;
  private final List<UpstreamState> upstreams;
  private final Options options;
  private final LongAdder queries;
  private final LongAdder errors;
  /** Query IDs an off-path attacker cannot guess (with the random source port, against cache poisoning). */
  private final SecureRandom ids = new SecureRandom();
  private final long probeTimer;
  private long turn;

  /**
   * Forwards to {@code upstreams} (every host name looked up) from the event loop of {@code context}; counts into
   * {@code counters} ({@code upstream_queries}, {@code upstream_errors}, {@code tcp_retries} and the group
   * {@link #GROUP}).
   */
  public Forwarder(ContextInternal context, List<Upstream> upstreams, Options options, Counters counters) {
    this.context = context;
    this.options = options;
    this.queries = counters.counter("upstream_queries");
    this.errors = counters.counter("upstream_errors");
    LongAdder tcpRetries = counters.counter("tcp_retries");
    NetClient tcp = context.owner().createNetClient(new NetClientOptions().setConnectTimeout(options.timeoutMs()));
    NetClient tls = context.owner().createNetClient(Tls.netClientOptions(options.caPem(), options.timeoutMs()));
    List<UpstreamState> states = new ArrayList<>();
    for (Upstream upstream : upstreams) {
      UpstreamClient client = switch (upstream.protocol()) {
        case PLAIN -> new PlainClient(context, upstream, tcp, tcpRetries);
        case TLS -> new DotClient(context, upstream, tls);
        case HTTPS -> new DohClient(context, upstream, context.owner().createHttpClient(
          Tls.httpClientOptions(options.caPem(), options.timeoutMs()), new PoolOptions().setHttp1MaxSize(4).setHttp2MaxSize(1)));
      };
      states.add(new UpstreamState(upstream, client, options.downAfter(), counters));
    }
    this.upstreams = List.copyOf(states);
    this.probeTimer = context.setPeriodic(options.retryMs(), id -> probeDown());
  }

  public Future<Answer> forward(Name name, int type) {
    return attempt(options.strategy().order(upstreams, turn++), 0, name, type, new ArrayList<>());
  }

  /** Stops probing and closes every upstream's connections. */
  public Future<Void> close() {
    context.owner().cancelTimer(probeTimer);
    return Future.join(upstreams.stream().map(state -> state.client().close()).toList()).mapEmpty();
  }

  private Future<Answer> attempt(List<UpstreamState> order, int index, Name name, int type, List<String> failures) {
    if (index == order.size()) {
      return Future.failedFuture(new UpstreamFailure("no upstream answered " + name + " " + Type.string(type)
        + " (tried " + order.size() + "): " + String.join("; ", failures)));
    }
    UpstreamState upstream = order.get(index);
    queries.increment();
    upstream.asked();
    long started = System.nanoTime();
    return upstream.client().exchange(DnsMessages.query(name, type, ids.nextInt(0x10000)), options.timeoutMs())
      .transform(done -> {
        int rcode = done.succeeded() ? done.result().getRcode() : -1;
        if (done.succeeded()) {
          upstream.answered((System.nanoTime() - started) / 1_000, rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN);
        } else {
          upstream.failed(done.cause() instanceof UpstreamFailure f && f.unreachable());
        }
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
          return Future.succeededFuture(Answer.from(done.result(), type, upstream.upstream()));
        }
        errors.increment();
        failures.add(upstream.upstream() + ": " + (done.succeeded() ? "answered " + Rcode.string(rcode) : Describe.failure(done.cause())));
        return attempt(order, index + 1, name, type, failures);
      });
  }

  /** Asks every upstream marked down for the root's NS: any answer, whatever its code, shows it is back. */
  private void probeDown() {
    for (UpstreamState upstream : upstreams) {
      if (upstream.down()) {
        upstream.probed();
        long started = System.nanoTime();
        Message probe = DnsMessages.query(Name.root, Type.NS, ids.nextInt(0x10000));
        upstream.client().exchange(probe, options.timeoutMs())
          .onSuccess(answer -> upstream.probeAnswered((System.nanoTime() - started) / 1_000));
      }
    }
  }
}
