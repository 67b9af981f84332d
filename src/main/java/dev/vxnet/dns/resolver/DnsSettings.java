package dev.vxnet.dns.resolver;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Values;
import dev.vxnet.dns.upstream.Strategy;
import dev.vxnet.dns.upstream.Upstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code dns} section, checked: each upstream parsed, TTL bounds in order, certificate keys in pairs.
 *
 * @param upstreams        DNS servers to forward to; {@code null} for the nameservers of /etc/resolv.conf
 * @param strategy         order of the upstreams for each question
 * @param upstreamDownAfter failures in a row that mark an upstream down
 * @param upstreamRetryMs  how often an upstream marked down is probed, ms
 * @param upstreamCaPath   PEM CAs trusted for tls:// and https:// upstreams; {@code null}: the JVM's
 * @param timeoutMs        wait for one upstream's answer, ms
 * @param cacheMaxEntries  answers cached on this node; 0 = no cache
 * @param minTtl           lower bound of answer TTLs, seconds
 * @param maxTtl           upper bound of answer TTLs, seconds, at least {@code minTtl}
 * @param negativeTtlMax   longest caching of NXDOMAIN/NODATA, seconds
 * @param staleMaxS        how long past expiry a cached answer may still be served when every upstream fails, s; 0 = never
 * @param prefetchPercent  a cache hit with at most this share of its TTL left refreshes the entry, %; 0 = never
 * @param batchMax         questions in one batch request at most
 * @param maxInFlight      questions waiting for upstreams at once, per instance
 * @param do53             the plain DNS listener (UDP and TCP), or {@code null} when disabled
 * @param dot              the DNS-over-TLS listener, or {@code null} when disabled
 * @param dotCertPath      PEM certificate chain of the DoT listener; {@code null} (with {@code dotKeyPath}): self-signed
 * @param dotKeyPath       PEM private key of {@code dotCertPath}
 * @param listeners        limits shared by the listeners
 */
public record DnsSettings(List<Upstream> upstreams, Strategy strategy, int upstreamDownAfter, int upstreamRetryMs,
                          String upstreamCaPath, int timeoutMs, int cacheMaxEntries, int minTtl, int maxTtl,
                          int negativeTtlMax, int staleMaxS, int prefetchPercent, int batchMax, int maxInFlight,
                          Listener do53, Listener dot, String dotCertPath, String dotKeyPath, ListenerLimits listeners) {

  /** Where a listener binds; port 0 picks a free one (per instance: several instances need a fixed port to share). */
  public record Listener(String host, int port) {
  }

  /**
   * @param udpMaxPayload        largest UDP answer, bytes (the requester's EDNS size counts below it)
   * @param rateLimitPerSecond   UDP queries answered per second per source address; 0 = no limit
   * @param rateLimitBurst       token bucket size of that limit
   * @param rateLimitBytesPerSecond UDP answer bytes per second per source before answers shrink to TC; 0 = no limit
   * @param rateLimitMaxSources  source addresses tracked at once
   * @param maxConnections       open TCP connections per stream listener (Do53 TCP, DoT) on this node; 0 = no limit
   * @param idleTimeoutMs        a TCP or TLS connection without traffic this long is closed, ms
   * @param maxPipelined         queries of one connection being answered at once; more wait (the socket pauses)
   */
  public record ListenerLimits(int udpMaxPayload, int rateLimitPerSecond, int rateLimitBurst, int rateLimitBytesPerSecond,
                               int rateLimitMaxSources, int maxConnections, int idleTimeoutMs, int maxPipelined) {
  }

  private static final String HOST_PATTERN = "[A-Za-z0-9._:-]{1,253}";

  public static final Section<DnsSettings> SECTION = Section.busService("dns",
    "DNS resolver: the event-bus service `vxnet.dns.resolve`, DNS over UDP/TCP (Do53) and over TLS (DoT) listeners, "
      + "one cache; forwards to plain, DoT and DoH upstreams.", DnsSettings::from,
    Key.list("upstreams", null, "DNS servers to forward to: `ip:port` (`[ipv6]:port`; a bare address means port 53), "
      + "`tls://host[:port]` (DNS over TLS, port 853) or `https://host[:port]/path` (DNS over HTTPS); options after `#`: "
      + "`ip=ADDRESS` (connect there, no lookup of host), `pin=BASE64` (SHA-256 of the server's public key). Unset means "
      + "the nameservers of /etc/resolv.conf."),
    Key.choice("upstream_strategy", "sequential", "Order of the upstreams for each question: `sequential` (as listed), "
      + "`round_robin` (each question starts at the next) or `fastest` (lowest smoothed latency first).",
      Arrays.stream(Strategy.values()).map(Strategy::key).toArray(String[]::new)),
    Key.integer("upstream_down_after", 3, 1, 1_000, "Failures in a row after which an upstream is marked down (at once "
      + "when nothing listens: ICMP port unreachable, connection refused); questions skip it while another is up."),
    Key.integer("upstream_retry_ms", 10_000, 100, 3_600_000, "How often an upstream marked down is probed (a query for "
      + "`. NS`); any answer brings it back."),
    Key.text("upstream_ca_path", null, "PEM file of the CAs trusted for `tls://` and `https://` upstreams; unset means "
      + "the JVM's trusted CAs."),
    Key.integer("timeout_ms", 2_000, 10, 60_000, "How long to wait for one upstream's answer before trying the next."),
    Key.integer("cache_max_entries", 10_000, 0, 10_000_000,
      "Answers cached on this node; the least recently used are evicted first. 0 disables the cache."),
    Key.integer("min_ttl", 0, 0, 604_800, "Answer TTLs below this many seconds are raised to it."),
    Key.integer("max_ttl", 86_400, 0, 604_800, "Answer TTLs above this many seconds are lowered to it."),
    Key.integer("negative_ttl_max", 3_600, 0, 604_800,
      "Longest caching of NXDOMAIN/NODATA answers, in seconds; below it, min(SOA TTL, SOA MINIMUM) (RFC 2308)."),
    Key.integer("stale_max_s", 86_400, 0, 604_800, "Serve-stale (RFC 8767): when no upstream answers, a cached answer "
      + "that expired at most this many seconds ago is served with TTL 30 and Extended DNS Error 3 (Stale Answer). 0 = never."),
    Key.integer("prefetch_percent", 10, 0, 50, "Prefetch: a cache hit with at most this share of its TTL left refreshes "
      + "the entry from the upstreams in the background, so that popular names never expire. 0 = never."),
    Key.integer("batch_max", 100, 1, 10_000, "Most questions in one batch request."),
    Key.integer("max_in_flight", 1_000, 1, 100_000, "Questions waiting for upstreams at once, per instance (each holds "
      + "a socket); more fail at once with BUSY (SERVFAIL on the DNS listeners), so that a flood of new names cannot "
      + "exhaust file descriptors."),
    Key.flag("do53_enabled", true, "Answer plain DNS (Do53) on UDP and TCP at `do53_host`:`do53_port`."),
    Key.text("do53_host", "127.0.0.1", HOST_PATTERN, "Address of the Do53 listener (UDP and TCP)."),
    Key.port("do53_port", 8053, 0, "Port of the Do53 listener, UDP and TCP (53 needs privileges: docs/dns.md). "
      + "0 picks a free port."),
    Key.flag("dot_enabled", true, "Answer DNS over TLS (RFC 7858) at `dot_host`:`dot_port`."),
    Key.text("dot_host", "127.0.0.1", HOST_PATTERN, "Address of the DoT listener."),
    Key.port("dot_port", 8853, 0, "Port of the DoT listener (853 needs privileges). 0 picks a free port."),
    Key.text("dot_cert_path", null, "PEM certificate chain of the DoT listener (leaf first), with `dot_key_path`; unset "
      + "means a self-signed certificate for localhost is generated at start (its public-key pin is logged). Give the "
      + "https section's files to serve the HTTPS certificate."),
    Key.text("dot_key_path", null, "PEM private key (PKCS#8, PKCS#1 or SEC1) of `dot_cert_path`."),
    Key.integer("udp_max_payload", 1_232, 512, 4_096, "Largest UDP answer in bytes, advertised in EDNS; a requester's "
      + "smaller EDNS size (at least 512) or 512 without EDNS limits it further; larger answers are cut with TC set."),
    Key.integer("rate_limit_per_second", 10_000, 0, Integer.MAX_VALUE,
      "UDP queries answered per second per source address (token bucket); more are dropped. 0 = no limit."),
    Key.integer("rate_limit_burst", 20_000, 1, Integer.MAX_VALUE, "Token bucket size of `rate_limit_per_second`."),
    Key.integer("rate_limit_bytes_per_second", 2_000_000, 0, Integer.MAX_VALUE, "UDP answer bytes per second per "
      + "source address (a burst of one second's worth); beyond it answers shrink to header and question with TC set, "
      + "so that a spoofed source cannot be flooded (no amplification). 0 = no limit."),
    Key.integer("rate_limit_max_sources", 100_000, 1, Integer.MAX_VALUE,
      "Source addresses tracked at once; when full, idle ones are forgotten first."),
    Key.integer("max_connections", 1_000, 0, 1_000_000, "Open connections per stream listener (Do53 TCP, DoT) on this "
      + "node; more are closed at once. 0 = no limit."),
    Key.integer("idle_timeout_ms", 10_000, 100, 3_600_000, "A Do53 TCP or DoT connection without traffic this long is closed "
      + "(RFC 7766 section 6.2.3)."),
    Key.integer("max_pipelined", 100, 1, 65_535, "Queries of one TCP or TLS connection answered at once; beyond it the "
      + "connection is not read until answers go out."));

  private static DnsSettings from(Values values) {
    if (values.integer("min_ttl") > values.integer("max_ttl")) {
      values.problem("min_ttl", values.integer("min_ttl") + " is above " + values.name("max_ttl") + " " + values.integer("max_ttl"));
    }
    String cert = values.text("dot_cert_path");
    String key = values.text("dot_key_path");
    if ((cert == null) != (key == null)) {
      values.problem(cert == null ? "dot_cert_path" : "dot_key_path", "required when "
        + values.name(cert == null ? "dot_key_path" : "dot_cert_path") + " is set");
    }
    boolean do53 = values.flag("do53_enabled");
    boolean dot = values.flag("dot_enabled");
    if (do53 && dot && values.integer("do53_port") != 0 && values.integer("do53_port") == values.integer("dot_port")
      && values.text("do53_host").equals(values.text("dot_host"))) {
      values.problem("dot_port", values.integer("dot_port") + " is also " + values.name("do53_port") + "; the TCP listeners need two ports");
    }
    return new DnsSettings(upstreams(values), Strategy.of(values.text("upstream_strategy")),
      values.integer("upstream_down_after"), values.integer("upstream_retry_ms"), values.text("upstream_ca_path"),
      values.integer("timeout_ms"), values.integer("cache_max_entries"), values.integer("min_ttl"), values.integer("max_ttl"),
      values.integer("negative_ttl_max"), values.integer("stale_max_s"), values.integer("prefetch_percent"),
      values.integer("batch_max"), values.integer("max_in_flight"),
      do53 ? new Listener(values.text("do53_host"), values.integer("do53_port")) : null,
      dot ? new Listener(values.text("dot_host"), values.integer("dot_port")) : null,
      cert, key,
      new ListenerLimits(values.integer("udp_max_payload"), values.integer("rate_limit_per_second"),
        values.integer("rate_limit_burst"), values.integer("rate_limit_bytes_per_second"),
        values.integer("rate_limit_max_sources"), values.integer("max_connections"), values.integer("idle_timeout_ms"),
        values.integer("max_pipelined")));
  }

  private static List<Upstream> upstreams(Values values) {
    List<String> configured = values.list("upstreams");
    if (configured == null) {
      return null;
    }
    if (configured.isEmpty()) {
      values.problem("upstreams", "empty; list at least one DNS server as ip:port, or leave it unset to use the nameservers of "
        + DnsResolverVerticle.RESOLV_CONF);
    }
    List<Upstream> upstreams = new ArrayList<>();
    for (int i = 0; i < configured.size(); i++) {
      try {
        upstreams.add(Upstream.parse(configured.get(i), values.name("upstreams") + "[" + i + "]"));
      } catch (ConfigException invalid) {
        values.problems(invalid.problems());
      }
    }
    return List.copyOf(upstreams);
  }
}
