package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.LatencyWindow;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.ConfiguredVerticle;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The DNS resolver service on {@link Addresses#DNS_RESOLVE}: validates each question, answers it from the cache
 * or from the first upstream that answers, and replies JSON (schema in docs/dns.md). It has no port of its own;
 * the DoH routes of package {@code dev.vxnet.dns} reach it over the event bus like any other client.
 */
public final class DnsResolverVerticle extends ConfiguredVerticle<DnsSettings> {

  static final String RESOLV_CONF = "/etc/resolv.conf";

  private static final Logger LOG = Logger.getLogger("vxnet");

  /** Deployed on its own: its {@code dns} section is the deployment config. */
  public DnsResolverVerticle() {
    this(null);
  }

  public DnsResolverVerticle(DnsSettings settings) {
    super(DnsSettings.SECTION, settings);
  }

  @Override
  public Future<?> start() {
    DnsSettings settings = settings();
    return upstreams(settings.upstreams()).compose(upstreams -> {
      int timeoutMs = settings.timeoutMs();
      Counters counters = new Counters("dns");
      LongAdder requests = counters.counter("requests");
      LongAdder badRequests = counters.counter("bad_requests");
      Resolver.CacheCounters cacheCounters = new Resolver.CacheCounters(
        counters.counter("cache_hits"), counters.counter("cache_misses"), counters.counter("cache_evictions"));
      LongAdder upstreamQueries = counters.counter("upstream_queries");
      LongAdder upstreamErrors = counters.counter("upstream_errors");
      NetClient tcpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMs));
      DnsTransport transport = new DnsTransport(vertx, tcpClient, counters.counter("tcp_retries"));
      Forwarder forwarder = new Forwarder(upstreams, transport, timeoutMs, upstreamQueries, upstreamErrors);
      DnsCache cache = DnsCache.shared(vertx, context.deploymentID(), settings.cacheMaxEntries());
      TtlPolicy policy = new TtlPolicy(settings.minTtl(), settings.maxTtl(), settings.negativeTtlMax());
      Resolver resolver = new Resolver(forwarder, cache, policy, System::nanoTime, cacheCounters, settings.maxInFlight());
      ResolveService service = new ResolveService(resolver, settings.batchMax(), badRequests, counters.counter("busy"));
      LatencyWindow latency = counters.latency("request");
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.DNS_RESOLVE, message -> {
        requests.increment();
        long started = latency.now();
        service.handle(message.body()).onSuccess(reply -> {
          latency.recordSince(started);
          message.reply(reply);
        });
      });
      return StatsReporter.register(vertx, counters)
        .compose(v -> consumer.completion())
        .onSuccess(v -> LOG.info(() -> "dns: answering " + Addresses.DNS_RESOLVE + " through " + upstreams));
    });
  }

  /** The TCP client closes with the verticle; the node's shared cache is released by its last user. */
  @Override
  public Future<?> stop() {
    DnsCache.release(vertx, context.deploymentID());
    return Future.succeededFuture();
  }

  /** The configured upstreams; unset: the nameservers of /etc/resolv.conf, read without blocking. */
  private Future<List<Upstream>> upstreams(List<Upstream> configured) {
    if (configured != null) {
      return Future.succeededFuture(configured);
    }
    return vertx.fileSystem().readFile(RESOLV_CONF)
      .recover(failure -> Future.failedFuture(new ConfigException("dns.upstreams: not set, and " + RESOLV_CONF
        + " cannot be read (" + failure.getMessage() + "); set dns.upstreams, or dns.enabled=false")))
      .map(content -> Upstream.fromResolvConf(content.toString(), RESOLV_CONF,
        skipped -> LOG.warning(() -> "dns: skipping a nameserver: " + skipped)))
      .compose(upstreams -> upstreams.isEmpty()
        ? Future.failedFuture(new ConfigException("dns.upstreams: not set, and " + RESOLV_CONF
          + " lists no usable nameserver; set dns.upstreams, or dns.enabled=false"))
        : Future.succeededFuture(upstreams));
  }
}
