package dev.vxnet.fetch.client;

import dev.vxnet.config.ConfigException;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSRF guard's decisions: address in, verdict out. Nothing here opens a socket or asks DNS. */
class AddressGuardTest {

  private static final AddressGuard DEFAULT = AddressGuard.fromConfig(new JsonArray());

  /** Parses a literal without DNS (InetAddress.getByName would resolve a name; these are all literals). */
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByAddress(Cidr.literal(literal).orElseThrow());
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
    "169.254.169.254, cloud-metadata 169.254.169.254/32",
    "10.0.0.1, private 10.0.0.0/8",
    "::1, loopback ::1/128",
    "::ffff:127.0.0.1, loopback 127.0.0.0/8",
    "[::ffff:127.0.0.1], loopback 127.0.0.0/8",
    "127.0.0.1, loopback 127.0.0.0/8",
    "127.0.0.2, loopback 127.0.0.0/8",
    "127.255.255.254, loopback 127.0.0.0/8",
    "0.0.0.0, unspecified 0.0.0.0/8",
    "0.1.2.3, unspecified 0.0.0.0/8",
    "255.255.255.255, broadcast 255.255.255.255/32",
    "172.16.0.1, private 172.16.0.0/12",
    "172.31.255.255, private 172.16.0.0/12",
    "192.168.1.1, private 192.168.0.0/16",
    "::ffff:10.1.2.3, private 10.0.0.0/8",
    "::ffff:192.168.0.1, private 192.168.0.0/16",
    "100.64.0.1, cgnat 100.64.0.0/10",
    "100.127.255.255, cgnat 100.64.0.0/10",
    "169.254.0.1, link-local 169.254.0.0/16",
    "224.0.0.1, multicast 224.0.0.0/4",
    "239.255.255.250, multicast 224.0.0.0/4",
    "240.0.0.1, reserved 240.0.0.0/4",
    "192.0.2.10, documentation 192.0.2.0/24",
    "198.18.0.1, benchmarking 198.18.0.0/15",
    ":: , unspecified ::/128",
    "fc00::1, private fc00::/7",
    "fd12:3456::1, private fc00::/7",
    "fe80::1, link-local fe80::/10",
    "febf:ffff::1, link-local fe80::/10",
    "fec0::1, site-local fec0::/10",
    "ff02::1, multicast ff00::/8",
    "ff05::1:3, multicast ff00::/8",
    "::127.0.0.1, loopback 127.0.0.0/8",
    "2001:db8::1, documentation 2001:db8::/32",
    "2001:0:4136:e378::1, teredo 2001::/32",
    "64:ff9b:1::1, nat64-local 64:ff9b:1::/48",
    "64:ff9b::7f00:1, nat64 64:ff9b::/96 embedding loopback 127.0.0.0/8",
    "64:ff9b::a9fe:a9fe, nat64 64:ff9b::/96 embedding cloud-metadata 169.254.169.254/32",
    "2002:7f00:1::1, 6to4 2002::/16 embedding loopback 127.0.0.0/8",
    "2002:c0a8:101::1, 6to4 2002::/16 embedding private 192.168.0.0/16"})
  void refusesNonPublicDestinations(String address, String rule) throws Exception {
    AddressGuard.Verdict verdict = DEFAULT.check(ip(address.trim()));
    assertFalse(verdict.allowed(), address + " must be refused");
    assertEquals(rule, verdict.rule());
  }

  @ParameterizedTest(name = "{0} is public")
  @CsvSource({"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "169.253.255.255", "223.255.255.255",
    "2606:4700::1111", "2a00:1450:4001::1", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"})
  void letsPublicAddressesThrough(String address) throws Exception {
    AddressGuard.Verdict verdict = DEFAULT.check(ip(address));
    assertTrue(verdict.allowed(), address + " must be allowed");
    assertEquals("public", verdict.rule());
  }

  @Test
  void anIpv4MappedIpv6AddressIsJudgedAsItsIpv4AddressEvenWhenJavaKeepsItIpv6() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
    assertTrue(v6 instanceof Inet6Address, "the test must feed a real Inet6Address");
    assertEquals("loopback 127.0.0.0/8", DEFAULT.check(v6).rule());
  }

  @Test
  void anIpv4CompatibleIpv6AddressIsRefused() throws Exception {
    byte[] compatible = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8};
    assertEquals(new AddressGuard.Verdict(false, "ipv4-compatible ::/96"),
      DEFAULT.check(Inet6Address.getByAddress(null, compatible, -1)));
  }

  @Test
  void allowlistOpensExactlyTheListedNetworks() throws Exception {
    AddressGuard guard = AddressGuard.fromConfig(new JsonArray(List.of("127.0.0.1", "10.1.0.0/16", "fd00:1::/32")));
    assertEquals(new AddressGuard.Verdict(true, "allow 127.0.0.1/32"), guard.check(ip("127.0.0.1")));
    assertEquals(new AddressGuard.Verdict(true, "allow 127.0.0.1/32"), guard.check(ip("::ffff:127.0.0.1")));
    assertEquals(new AddressGuard.Verdict(false, "loopback 127.0.0.0/8"), guard.check(ip("127.0.0.2")));
    assertEquals(new AddressGuard.Verdict(true, "allow 10.1.0.0/16"), guard.check(ip("10.1.200.3")));
    assertEquals(new AddressGuard.Verdict(false, "private 10.0.0.0/8"), guard.check(ip("10.2.0.1")));
    assertEquals(new AddressGuard.Verdict(true, "allow fd00:1::/32"), guard.check(ip("fd00:1:ffff::9")));
    assertEquals(new AddressGuard.Verdict(false, "private fc00::/7"), guard.check(ip("fd00:2::1")));
    assertEquals(new AddressGuard.Verdict(false, "loopback ::1/128"), guard.check(ip("::1")));
  }

  @Test
  void allowlistByHostNameOpensThatNameOnly() throws Exception {
    AddressGuard guard = AddressGuard.fromConfig(new JsonArray(List.of("intranet.example", "*.corp.example")));
    InetAddress internal = ip("10.0.0.7");
    assertEquals(new AddressGuard.Verdict(true, "allow host intranet.example"), guard.check("intranet.example", internal));
    assertEquals(new AddressGuard.Verdict(true, "allow host intranet.example"), guard.check("INTRANET.example.", internal));
    assertEquals(new AddressGuard.Verdict(true, "allow host *.corp.example"), guard.check("wiki.corp.example", internal));
    assertFalse(guard.check("corp.example", internal).allowed(), "*.corp.example opens subdomains only");
    assertFalse(guard.check("evilcorp.example", internal).allowed());
    assertFalse(guard.check("intranet.example.evil", internal).allowed());
    assertFalse(guard.check("10.0.0.7", internal).allowed(), "a host allowlist entry does not open the address itself");
  }

  @Test
  void badAllowEntriesAreNamedByIndex() {
    ConfigException e = assertThrows(ConfigException.class,
      () -> AddressGuard.fromConfig(new JsonArray(List.of("127.0.0.1", "10.0.0.1/8", "not a host", "1.2.3", "::1/129"))));
    assertEquals(List.of(
      "fetch.allow[1]: '10.0.0.1/8': address has bits set beyond the /8 prefix (did you mean 10.0.0.0/8?)",
      "fetch.allow[2]: 'not a host' is neither an IP address, a CIDR (10.0.0.0/8, fd00::/8) nor a host name (example.com, *.example.com)",
      "fetch.allow[3]: '1.2.3' is not an IP address or CIDR",
      "fetch.allow[4]: '::1/129': prefix length must be 0 to 128"), e.problems());
  }

  @Test
  void cidrParsingAndMatching() throws Exception {
    assertEquals("10.0.0.0/8", Cidr.parse("10.0.0.0/8").toString());
    assertEquals("0.0.0.0/0", Cidr.parse("0.0.0.0/0").toString());
    assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
    assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1")), "an IPv4 network never contains an IPv6 address");
    assertTrue(Cidr.parse("172.16.0.0/12").contains(ip("172.31.0.1")));
    assertFalse(Cidr.parse("172.16.0.0/12").contains(ip("172.32.0.1")));
    assertTrue(Cidr.parse("fe80::/10").contains(ip("febf::1")));
    assertFalse(Cidr.parse("fe80::/10").contains(ip("fec0::1")));
    assertTrue(Cidr.parse("[::1]").contains(ip("::1")));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("localhost"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/"));
  }
}
