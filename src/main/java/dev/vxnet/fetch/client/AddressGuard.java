package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import io.netty.util.NetUtil;
import io.vertx.core.json.JsonArray;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The SSRF guard: decides, for an address the fetcher is about to connect to, whether it may. Destinations in
 * non-public ranges (loopback, private, link-local, CGNAT, multicast, ...) are refused unless {@code fetch.allow}
 * opens them by CIDR, or by the host name of the URL. Pure: address in, verdict out.
 */
public final class AddressGuard {

  /** The outcome of a check; {@code rule} names the rule that decided ({@code "loopback 127.0.0.0/8"}). */
  public record Verdict(boolean allowed, String rule) {
  }

  private record Rule(String name, Cidr cidr) {
    String describe() {
      return name + " " + cidr;
    }
  }

  private static final List<Rule> DENY_V4 = rules(
    "unspecified", "0.0.0.0/8",
    "loopback", "127.0.0.0/8",
    "private", "10.0.0.0/8",
    "private", "172.16.0.0/12",
    "private", "192.168.0.0/16",
    "cgnat", "100.64.0.0/10",
    "cloud-metadata", "169.254.169.254/32",
    "link-local", "169.254.0.0/16",
    "reserved", "192.0.0.0/24",
    "documentation", "192.0.2.0/24",
    "benchmarking", "198.18.0.0/15",
    "documentation", "198.51.100.0/24",
    "documentation", "203.0.113.0/24",
    "multicast", "224.0.0.0/4",
    "broadcast", "255.255.255.255/32",
    "reserved", "240.0.0.0/4");

  private static final List<Rule> DENY_V6 = rules(
    "unspecified", "::/128",
    "loopback", "::1/128",
    "ipv4-compatible", "::/96",
    "discard", "100::/64",
    "nat64-local", "64:ff9b:1::/48",
    "teredo", "2001::/32",
    "documentation", "2001:db8::/32",
    "private", "fc00::/7",
    "link-local", "fe80::/10",
    "site-local", "fec0::/10",
    "multicast", "ff00::/8");

  /** IPv6 ranges that carry an IPv4 address: refused when the embedded address would be. */
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final List<Cidr> allowedNetworks;
  private final List<String> allowedHosts;

  public AddressGuard(List<Cidr> allowedNetworks, List<String> allowedHosts) {
    this.allowedNetworks = List.copyOf(allowedNetworks);
    this.allowedHosts = allowedHosts.stream().map(AddressGuard::normaliseHost).toList();
  }

  /** The guard of {@code fetch.allow}: each entry a CIDR, an address, a host name or {@code *.domain}. */
  public static AddressGuard fromConfig(JsonArray allow) {
    List<Cidr> networks = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < allow.size(); i++) {
      String entry = allow.getString(i).trim();
      if (entry.matches("[0-9a-fA-F:.\\[\\]]+(/\\d+)?") && (entry.contains(":") || entry.matches("[\\d./]+"))) {
        try {
          networks.add(Cidr.parse(entry));
        } catch (IllegalArgumentException e) {
          problems.add("fetch.allow[" + i + "]: " + e.getMessage());
        }
      } else if (entry.matches("(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?")) {
        hosts.add(entry);
      } else {
        problems.add("fetch.allow[" + i + "]: '" + entry
          + "' is neither an IP address, a CIDR (10.0.0.0/8, fd00::/8) nor a host name (example.com, *.example.com)");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new AddressGuard(networks, hosts);
  }

  /** Whether the URL host {@code host} may be connected to at {@code address}. */
  public Verdict check(String host, InetAddress address) {
    return hostAllowed(host).orElseGet(() -> check(address));
  }

  /** The verdict for an address alone (no host name allowlist). */
  public Verdict check(InetAddress address) {
    byte[] bytes = Cidr.unmapped(address.getAddress());
    for (Cidr network : allowedNetworks) {
      if (network.contains(bytes)) {
        return new Verdict(true, "allow " + network);
      }
    }
    return denial(bytes).map(rule -> new Verdict(false, rule)).orElse(new Verdict(true, "public"));
  }

  private Optional<Verdict> hostAllowed(String host) {
    String name = normaliseHost(host);
    for (String allowed : allowedHosts) {
      boolean matches = allowed.startsWith("*.") ? name.endsWith(allowed.substring(1)) : name.equals(allowed);
      if (matches) {
        return Optional.of(new Verdict(true, "allow host " + allowed));
      }
    }
    return Optional.empty();
  }

  /** The deny rule an address falls under, looking through NAT64 and 6to4 to the IPv4 address they carry. */
  private static Optional<String> denial(byte[] bytes) {
    for (Rule rule : bytes.length == 4 ? DENY_V4 : DENY_V6) {
      if (rule.cidr().contains(bytes)) {
        return Optional.of(rule.describe());
      }
    }
    if (bytes.length == 16) {
      if (NAT64.contains(bytes)) {
        return denial(Arrays.copyOfRange(bytes, 12, 16)).map(inner -> "nat64 " + NAT64 + " embedding " + inner);
      }
      if (SIX_TO_FOUR.contains(bytes)) {
        return denial(Arrays.copyOfRange(bytes, 2, 6)).map(inner -> "6to4 " + SIX_TO_FOUR + " embedding " + inner);
      }
    }
    return Optional.empty();
  }

  private static String normaliseHost(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static List<Rule> rules(String... nameAndCidr) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < nameAndCidr.length; i += 2) {
      rules.add(new Rule(nameAndCidr[i], Cidr.parse(nameAndCidr[i + 1])));
    }
    return List.copyOf(rules);
  }

  /** For log lines: what the allowlist opens. */
  public String describeAllowlist() {
    List<String> all = new ArrayList<>();
    allowedNetworks.forEach(network -> all.add(network.toString()));
    all.addAll(allowedHosts);
    return all.isEmpty() ? "(nothing)" : String.join(", ", all);
  }

  static String text(InetAddress address) {
    return NetUtil.bytesToIpAddress(Cidr.unmapped(address.getAddress()));
  }
}
