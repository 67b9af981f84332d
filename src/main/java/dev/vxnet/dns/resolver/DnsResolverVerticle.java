package dev.vxnet.dns.resolver;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Counters;
import dev.vxnet.bus.LatencyWindow;
import dev.vxnet.bus.StatsReporter;
import dev.vxnet.config.ConfiguredVerticle;
import dev.vxnet.dns.upstream.Forwarder;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.Listening;
import dev.vxnet.net.SourceRateLimiter;
import dev.vxnet.net.TlsAcceptGate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The DNS resolver service: one {@link Resolver} and one cache per node behind every face. It answers
 * {@link Addresses#DNS_RESOLVE} on the event bus (JSON, schema in docs/dns.md; the DoH routes of package
 * {@code dev.vxnet.dns} use it like any client), plain DNS on UDP and TCP ({@code do53_*}) and DNS over TLS
 * ({@code dot_*}). The listeners call the resolver of their own instance directly: they are part of this service.
 */
public final class DnsResolverVerticle extends ConfiguredVerticle<DnsSettings> {

  static final String RESOLV_CONF = "/etc/resolv.conf";
  static final String DO53 = "dns.do53";
  static final String DOT = "dns.dot";

  private static final Logger LOG = LoggerFactory.getLogger(DnsResolverVerticle.class);
  private static final Set<String> TLS_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private Forwarder forwarder;
  /** Picks of a free port for Do53 beyond the first, when do53_port is 0. */
  private static final int PORT_ZERO_RETRIES = 4;

  private Do53Udp udp;

  /** Deployed on its own: its {@code dns} section is the deployment config. */
  public DnsResolverVerticle() {
    this(null);
  }

  public DnsResolverVerticle(DnsSettings settings) {
    super(DnsSettings.SECTION, settings);
  }

  /**
   * What the service reads before any port of the node is bound: upstream names looked up, the upstream CA file, the
   * DoT certificate and key (checked, or generated). Fails with a {@code StartupException} naming the key.
   */
  public static Future<?> preflight(Vertx vertx, DnsSettings settings) {
    return vertx.executeBlocking(() -> Prepared.shared(vertx, settings, LOG::warn), false);
  }

  @Override
  public Future<?> start() {
    DnsSettings settings = settings();
    return preflight(vertx, settings).map(Prepared.class::cast).compose(prepared -> {
      Counters counters = new Counters("dns");
      LongAdder requests = counters.counter("requests");
      LongAdder badRequests = counters.counter("bad_requests");
      Resolver.Counters resolverCounters = new Resolver.Counters(counters.counter("cache_hits"),
        counters.counter("cache_misses"), counters.counter("cache_evictions"), counters.counter("stale_answers"),
        counters.counter("prefetches"));
      forwarder = new Forwarder((ContextInternal) context, prepared.upstreams(), new Forwarder.Options(settings.strategy(),
        settings.timeoutMs(), settings.upstreamDownAfter(), settings.upstreamRetryMs(), prepared.upstreamCa()), counters);
      DnsCache cache = DnsCache.shared(vertx, context.deploymentID(), settings.cacheMaxEntries(), settings.staleMaxS());
      if (cache.claimReporter()) { // one instance reports the node's cache, so that the sum over instances is right
        counters.gauge("cache_entries", cache::size);
      }
      TtlPolicy policy = new TtlPolicy(settings.minTtl(), settings.maxTtl(), settings.negativeTtlMax());
      Resolver resolver = new Resolver(forwarder, cache, policy, System::nanoTime, resolverCounters, settings.maxInFlight(),
        settings.prefetchPercent());
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
      WireFace face = new WireFace(resolver, new WireFace.Counters(counters.counter("dropped"), counters.counter("formerr"),
        counters.counter("notimp"), counters.counter("refused"), counters.counter("badvers"), counters.counter("servfail"),
        counters.counter("truncated")));
      return StatsReporter.register(vertx, counters)
        .compose(v -> consumer.completion())
        .compose(v -> settings.do53() == null ? Future.succeededFuture() : listenDo53(settings, face, counters))
        .compose(v -> settings.dot() == null ? Future.succeededFuture() : listenDot(settings, prepared, face, counters))
        .onSuccess(v -> LOG.info("dns: answering " + Addresses.DNS_RESOLVE + " through " + prepared.upstreams()
          + " (" + settings.strategy().key() + ")"));
    });
  }

  /** UDP first (port 0 picks one), then TCP on the same port. */
  private Future<Void> listenDo53(DnsSettings settings, WireFace face, Counters counters) {
    DnsSettings.Listener listener = settings.do53();
    DnsSettings.ListenerLimits limits = settings.listeners();
    Do53Udp.Limits udpLimits = new Do53Udp.Limits(limits.udpMaxPayload(),
      SourceRateLimiter.shared(vertx, "dns.queries", limits.rateLimitPerSecond(), limits.rateLimitBurst(), limits.rateLimitMaxSources()),
      SourceRateLimiter.shared(vertx, "dns.answer-bytes", limits.rateLimitBytesPerSecond(),
        Math.max(limits.rateLimitBytesPerSecond(), limits.udpMaxPayload()), limits.rateLimitMaxSources()));
    Do53Udp.Counters udpCounters = new Do53Udp.Counters(counters.counter("udp_queries"), counters.counter("udp_reflected"),
      counters.counter("udp_rate_limited"), counters.counter("udp_shrunk"), counters.counter("udp_send_errors"));
    StreamListener tcp = new StreamListener(face, ConnectionLimit.shared(vertx, DO53, limits.maxConnections()), false,
      limits.maxPipelined(), new StreamListener.Counters(counters.counter("tcp_queries"), counters.counter("tcp_connections"),
      counters.counter("tcp_refused_connections")));
    // Instances share the UDP port through SO_REUSEPORT, which only the native transport offers; without it the first
    // instance alone reads UDP (the others still answer TCP, DoT and the event bus).
    boolean reusePort = vertx.isNativeTransportEnabled();
    boolean bindUdp = reusePort || vertx.sharedData().getLocalMap("vxnet.dns.udp").putIfAbsent(context.deploymentID(), true) == null;
    if (!bindUdp) {
      LOG.warn(DO53 + ": one instance reads UDP: several need SO_REUSEPORT from a native transport (epoll or io_uring), which is not active");
    }
    Future<NetServer> bound = bindDo53(listener, bindUdp, reusePort, face, udpLimits, udpCounters, tcp, limits.idleTimeoutMs());
    // Port 0: the kernel picks a free UDP port, but that number may be taken for TCP (any socket's local port); a few
    // more picks then, each a new UDP port. A configured port is never changed: its conflict is the user's to see.
    for (int retry = 0; retry < PORT_ZERO_RETRIES && listener.port() == 0 && bindUdp; retry++) {
      bound = bound.recover(taken -> closeUdp()
        .compose(v -> bindDo53(listener, true, reusePort, face, udpLimits, udpCounters, tcp, limits.idleTimeoutMs())));
    }
    return bound.onSuccess(server -> Listening.bound(vertx, DO53, listener.host(), server.actualPort())).mapEmpty();
  }

  /** The UDP socket (unless another instance reads UDP), then TCP on the port it got. */
  private Future<NetServer> bindDo53(DnsSettings.Listener listener, boolean bindUdp, boolean reusePort, WireFace face,
                                     Do53Udp.Limits udpLimits, Do53Udp.Counters udpCounters, StreamListener tcp, int idleTimeoutMs) {
    Future<Integer> udpPort = !bindUdp ? Future.succeededFuture(listener.port())
      : Listening.describe(address(listener).compose(address -> Do53Udp.bind((ContextInternal) context, address, reusePort, face,
        udpLimits, udpCounters)), "dns.do53_port (UDP)", listener.host(), listener.port())
      .map(bound -> {
        udp = bound;
        return bound.port();
      });
    return udpPort.compose(port -> Listening.describe(tcp.serve(vertx.createNetServer(Listening.serverOptions(listener.host(),
      port, true, idleTimeoutMs))).listen(), "dns.do53_port (TCP)", listener.host(), port));
  }

  private Future<Void> closeUdp() {
    Do53Udp open = udp;
    udp = null;
    return open == null ? Future.succeededFuture() : open.close();
  }

  private Future<Void> listenDot(DnsSettings settings, Prepared prepared, WireFace face, Counters counters) {
    DnsSettings.Listener listener = settings.dot();
    DnsSettings.ListenerLimits limits = settings.listeners();
    NetServerOptions options = Listening.serverOptions(listener.host(), listener.port(), true, limits.idleTimeoutMs())
      .setSsl(true)
      .setKeyCertOptions(prepared.dotKeyCert())
      .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
    ConnectionLimit limit = ConnectionLimit.shared(vertx, DOT, limits.maxConnections());
    LongAdder refused = counters.counter("dot_refused_connections");
    StreamListener dot = new StreamListener(face, limit, TlsAcceptGate.countsAtAccept(vertx), limits.maxPipelined(),
      new StreamListener.Counters(counters.counter("dot_queries"), counters.counter("dot_connections"), refused));
    LOG.info("dns: DoT certificate " + prepared.dotCertificate());
    if (listener.port() > 0) {
      TlsAcceptGate.register(vertx, listener.port(), limit, refused); // before the first connection can come
    }
    return Listening.describe(dot.serve(vertx.createNetServer(options)).listen(), "dns.dot_port", listener.host(), listener.port())
      .onSuccess(server -> {
        TlsAcceptGate.register(vertx, server.actualPort(), limit, refused);
        Listening.bound(vertx, DOT, listener.host(), server.actualPort());
      })
      .mapEmpty();
  }

  /** The listener's socket address; a host name is looked up off the event loop. */
  private Future<InetSocketAddress> address(DnsSettings.Listener listener) {
    return vertx.executeBlocking(() -> new InetSocketAddress(listener.host(), listener.port()));
  }

  /** The node's shared cache is released by its last user; the UDP channel and upstream connections are closed. */
  @Override
  public Future<?> stop() {
    DnsCache.release(vertx, context.deploymentID());
    return Future.join(closeUdp(),
      forwarder == null ? Future.succeededFuture() : forwarder.close());
  }
}
