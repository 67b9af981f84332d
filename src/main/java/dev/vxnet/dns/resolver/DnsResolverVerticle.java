package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The DNS resolver service on {@link Addresses#DNS_RESOLVE}: validates each question, answers it from the cache
 * or from the first upstream that answers, and replies JSON (schema in docs/dns.md). It has no port of its own;
 * the DoH routes of package {@code dev.vxnet.dns} reach it over the event bus like any other client.
 */
public final class DnsResolverVerticle extends VerticleBase {

  public static final Section CONFIG = Section.busService("dns", "DNS resolver service on the event bus (`vxnet.dns.resolve`).",
    Key.list("upstreams", null, "DNS servers to forward to, tried in this order, as `ip:port` (`[ipv6]:port`; "
      + "a bare address means port 53); unset means the nameservers of /etc/resolv.conf."),
    Key.integer("timeout_ms", 2_000, 10, 60_000, "How long to wait for one upstream's answer before trying the next."),
    Key.integer("cache_max_entries", 10_000, 0, 10_000_000,
      "Answers cached on this node; the least recently used are evicted first. 0 disables the cache."),
    Key.integer("min_ttl", 0, 0, 604_800, "Answer TTLs below this many seconds are raised to it."),
    Key.integer("max_ttl", 86_400, 0, 604_800, "Answer TTLs above this many seconds are lowered to it."),
    Key.integer("negative_ttl_max", 3_600, 0, 604_800,
      "Longest caching of NXDOMAIN/NODATA answers, in seconds; below it, min(SOA TTL, SOA MINIMUM) (RFC 2308)."),
    Key.integer("batch_max", 100, 1, 10_000, "Most questions in one batch request."),
    Key.integer("max_in_flight", 1_000, 1, 100_000, "Questions waiting for upstreams at once, per instance (each holds "
      + "a socket); more fail at once with BUSY, so that a flood of new names cannot exhaust file descriptors."));

  static final String RESOLV_CONF = "/etc/resolv.conf";

  private static final Logger LOG = Logger.getLogger("vxnet");

  private NetClient tcpClient;

  @Override
  public Future<?> start() {
    JsonObject config = CONFIG.complete(config());
    int minTtl = config.getInteger("min_ttl");
    int maxTtl = config.getInteger("max_ttl");
    if (minTtl > maxTtl) {
      return Future.failedFuture(new ConfigException("dns.min_ttl: " + minTtl + " is above dns.max_ttl " + maxTtl));
    }
    return upstreams(config.getJsonArray("upstreams")).compose(upstreams -> {
      int timeoutMs = config.getInteger("timeout_ms");
      Counters counters = new Counters("dns");
      LongAdder requests = counters.counter("requests");
      LongAdder badRequests = counters.counter("bad_requests");
      Resolver.CacheCounters cacheCounters = new Resolver.CacheCounters(
        counters.counter("cache_hits"), counters.counter("cache_misses"), counters.counter("cache_evictions"));
      LongAdder upstreamQueries = counters.counter("upstream_queries");
      LongAdder upstreamErrors = counters.counter("upstream_errors");
      tcpClient = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeoutMs));
      DnsTransport transport = new DnsTransport(vertx, tcpClient, counters.counter("tcp_retries"));
      Forwarder forwarder = new Forwarder(upstreams, transport, timeoutMs, upstreamQueries, upstreamErrors);
      DnsCache cache = DnsCache.shared(vertx, context.deploymentID(), config.getInteger("cache_max_entries"));
      TtlPolicy policy = new TtlPolicy(minTtl, maxTtl, config.getInteger("negative_ttl_max"));
      Resolver resolver = new Resolver(forwarder, cache, policy, System::nanoTime, cacheCounters, config.getInteger("max_in_flight"));
      ResolveService service = new ResolveService(resolver, config.getInteger("batch_max"), badRequests, counters.counter("busy"));
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.DNS_RESOLVE, message -> {
        requests.increment();
        service.handle(message.body()).onSuccess(message::reply);
      });
      return StatsReporter.register(vertx, counters)
        .compose(v -> consumer.completion())
        .onSuccess(v -> LOG.info(() -> "dns: answering " + Addresses.DNS_RESOLVE + " through " + upstreams));
    });
  }

  @Override
  public Future<?> stop() {
    DnsCache.release(vertx, context.deploymentID());
    return tcpClient == null ? Future.succeededFuture() : tcpClient.close();
  }

  /** {@code dns.upstreams}, each entry checked; unset: the nameservers of /etc/resolv.conf, read without blocking. */
  private Future<List<Upstream>> upstreams(JsonArray configured) {
    if (configured != null) {
      if (configured.isEmpty()) {
        return Future.failedFuture(new ConfigException("dns.upstreams: empty; list at least one DNS server as ip:port, "
          + "or leave it unset to use the nameservers of " + RESOLV_CONF));
      }
      List<Upstream> upstreams = new ArrayList<>();
      try {
        for (int i = 0; i < configured.size(); i++) {
          upstreams.add(Upstream.parse(configured.getString(i), "dns.upstreams[" + i + "]"));
        }
      } catch (ConfigException invalid) {
        return Future.failedFuture(invalid);
      }
      return Future.succeededFuture(upstreams);
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
