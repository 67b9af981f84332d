package dev.vxnet.dns.resolver;

import dev.vxnet.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamTest {

  private static String refusal(String text) {
    return assertThrows(ConfigException.class, () -> Upstream.parse(text, "dns.upstreams[1]")).getMessage();
  }

  @Test
  void parsesAddressesAndPorts() {
    assertEquals("127.0.0.1:5353", Upstream.parse("127.0.0.1:5353", "f").toString());
    assertEquals("127.0.0.2:53", Upstream.parse(" 127.0.0.2 ", "f").toString());
    assertEquals("[::1]:5353", Upstream.parse("[::1]:5353", "f").toString());
    assertEquals("[::1]:53", Upstream.parse("::1", "f").toString());
    assertEquals("[2001:db8::1]:53", Upstream.parse("[2001:db8::1]", "f").toString());
    assertTrue(Upstream.parse("[::1]:53", "f").ipv6());
    assertFalse(Upstream.parse("127.0.0.1:53", "f").ipv6());
  }

  @Test
  void refusesNamesAndBadPorts() {
    assertEquals("dns.upstreams[1]: \"dns.google:53\" is not host:port with an IP address as host "
      + "(IPv6 as [addr]:port); names are not allowed", refusal("dns.google:53"));
    assertEquals("dns.upstreams[1]: port in \"127.0.0.1:0\" must be a number from 1 to 65535", refusal("127.0.0.1:0"));
    assertEquals("dns.upstreams[1]: port in \"127.0.0.1:65536\" must be a number from 1 to 65535", refusal("127.0.0.1:65536"));
    assertEquals("dns.upstreams[1]: port in \"127.0.0.1:x\" must be a number from 1 to 65535", refusal("127.0.0.1:x"));
    assertEquals("dns.upstreams[1]: expected [IPv6]:port, got \"[::1]53\"", refusal("[::1]53"));
    assertTrue(refusal("").startsWith("dns.upstreams[1]: \"\" is not host:port"));
  }

  @Test
  void readsNameserversOfResolvConf() {
    String content = """
      # generated
      search example.net
      nameserver 127.0.0.53
      ;nameserver 10.0.0.1
      nameserver fe80::1%eth0
      nameserver ::1
      options edns0 trust-ad
      """;
    List<String> skipped = new ArrayList<>();
    assertEquals(List.of("127.0.0.53:53", "[::1]:53"),
      Upstream.fromResolvConf(content, "/etc/resolv.conf", skipped::add).stream().map(Upstream::toString).toList());
    assertEquals(List.of("/etc/resolv.conf line 5: \"fe80::1%eth0\" is a scoped IPv6 address (%interface), which is not supported"),
      skipped);
  }

  @Test
  void recognisesItsOwnDatagrams() {
    Upstream upstream = Upstream.parse("[::1]:5353", "f");
    assertTrue(upstream.sentBy("0:0:0:0:0:0:0:1", 5353));
    assertFalse(upstream.sentBy("0:0:0:0:0:0:0:1", 5354));
    assertFalse(upstream.sentBy("127.0.0.1", 5353));
  }
}
