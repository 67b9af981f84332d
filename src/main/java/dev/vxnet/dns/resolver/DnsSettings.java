package dev.vxnet.dns.resolver;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Values;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dns} section, checked: each upstream parsed, TTL bounds in order.
 *
 * @param upstreams       DNS servers to forward to, in order; {@code null} for the nameservers of /etc/resolv.conf
 * @param timeoutMs       wait for one upstream's answer, ms
 * @param cacheMaxEntries answers cached on this node; 0 = no cache
 * @param minTtl          lower bound of answer TTLs, seconds
 * @param maxTtl          upper bound of answer TTLs, seconds, at least {@code minTtl}
 * @param negativeTtlMax  longest caching of NXDOMAIN/NODATA, seconds
 * @param batchMax        questions in one batch request at most
 * @param maxInFlight     questions waiting for upstreams at once, per instance
 */
public record DnsSettings(List<Upstream> upstreams, int timeoutMs, int cacheMaxEntries, int minTtl, int maxTtl,
                          int negativeTtlMax, int batchMax, int maxInFlight) {

  public static final Section<DnsSettings> SECTION = Section.busService("dns",
    "DNS resolver service on the event bus (`vxnet.dns.resolve`).", DnsSettings::from,
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

  private static DnsSettings from(Values values) {
    if (values.integer("min_ttl") > values.integer("max_ttl")) {
      values.problem("min_ttl", values.integer("min_ttl") + " is above " + values.name("max_ttl") + " " + values.integer("max_ttl"));
    }
    return new DnsSettings(upstreams(values), values.integer("timeout_ms"), values.integer("cache_max_entries"),
      values.integer("min_ttl"), values.integer("max_ttl"), values.integer("negative_ttl_max"), values.integer("batch_max"),
      values.integer("max_in_flight"));
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
