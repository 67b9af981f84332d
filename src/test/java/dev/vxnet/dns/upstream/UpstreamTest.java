package dev.vxnet.dns.upstream;

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
    assertEquals(Upstream.Protocol.PLAIN, Upstream.parse("127.0.0.1", "f").protocol());
  }

  @Test
  void refusesNamesAndBadPorts() {
    assertEquals("dns.upstreams[1]: \"dns.google:53\" is not host:port with an IP address as host "
      + "(IPv6 as [addr]:port); names are not allowed in plain upstreams (expected ip:port ([ipv6]:port), "
      + "tls://host[:port] or https://host[:port]/path)", refusal("dns.google:53"));
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
  void encryptedUpstreamsAreUrlsWithOptions() {
    Upstream dot = Upstream.parse("tls://dns.vxnet.test", "f");
    assertEquals(Upstream.Protocol.TLS, dot.protocol());
    assertEquals("dns.vxnet.test", dot.host());
    assertEquals(853, dot.port());
    assertEquals(null, dot.address(), "a name is looked up at start");
    assertEquals("tls://dns.vxnet.test:853", dot.toString());
    Upstream pinned = Upstream.parse("tls://dns.vxnet.test:8853#ip=127.0.0.1&pin=" + "A".repeat(43) + "=", "f");
    assertEquals("127.0.0.1", pinned.address().getHostAddress());
    assertEquals(32, pinned.pin().length);
    assertEquals("tls://dns.vxnet.test:8853", pinned.toString(), "options are not part of its name");
    Upstream v6 = Upstream.parse("tls://[::1]:8853", "f");
    assertEquals("::1", v6.host());
    assertTrue(v6.address().getAddress().length == 16);
    Upstream doh = Upstream.parse("https://dns.vxnet.test/dns-query?x=1#ip=192.0.2.1", "f");
    assertEquals(Upstream.Protocol.HTTPS, doh.protocol());
    assertEquals(443, doh.port());
    assertEquals("/dns-query?x=1", doh.path());
    assertEquals("https://dns.vxnet.test:443/dns-query?x=1", doh.toString());
  }

  @Test
  void refusesBadUrls() {
    assertEquals("dns.upstreams[1]: unknown scheme in \"quic://dns.test\"; expected ip:port ([ipv6]:port), "
      + "tls://host[:port] or https://host[:port]/path", refusal("quic://dns.test"));
    assertEquals("dns.upstreams[1]: \"tls://dns.test/x\" has a path; DNS over TLS takes only tls://host[:port]", refusal("tls://dns.test/x"));
    assertEquals("dns.upstreams[1]: \"https://dns.test\" has no path; DNS over HTTPS needs the server's, such as "
      + "https://dns.test/dns-query", refusal("https://dns.test"));
    assertEquals("dns.upstreams[1]: pin=abc is not the base64 of a SHA-256 digest (32 bytes)", refusal("tls://dns.test#pin=abc"));
    assertEquals("dns.upstreams[1]: ip=dns.test is not an IP address", refusal("tls://dns.test#ip=dns.test"));
    assertEquals("dns.upstreams[1]: unknown option \"sni=x\" after # (known: ip=ADDRESS, pin=BASE64)", refusal("tls://dns.test#sni=x"));
    assertEquals("dns.upstreams[1]: port in \"tls://dns.test:0\" must be a number from 1 to 65535", refusal("tls://dns.test:0"));
  }
}
