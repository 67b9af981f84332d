package dev.vxnet.dns.resolver;

import dev.vxnet.config.ConfigException;
import io.netty.util.NetUtil;
import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** A DNS server queries are forwarded to: an IP address literal (never a name to resolve) and a port. */
public record Upstream(InetAddress address, int port) {

  static final int DNS_PORT = 53;

  /** {@code host:port}, {@code [v6]:port}, or a bare address for port 53; a {@link ConfigException} names {@code field}. */
  static Upstream parse(String text, String field) {
    String value = text.trim();
    String host = value;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0 || (close + 1 < value.length() && value.charAt(close + 1) != ':')) {
        throw new ConfigException(field + ": expected [IPv6]:port, got \"" + text + "\"");
      }
      host = value.substring(1, close);
      port = close + 1 < value.length() ? value.substring(close + 2) : null;
    } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
      host = value.substring(0, value.indexOf(':'));
      port = value.substring(value.indexOf(':') + 1);
    }
    return new Upstream(address(host, field, text), port == null ? DNS_PORT : port(port, field, text));
  }

  /**
   * The {@code nameserver} lines of a resolv.conf text, port 53 each. A line vxnet cannot use (a scoped IPv6 address
   * such as {@code fe80::1%eth0}) is passed to {@code skipped} with its reason instead of stopping the start.
   */
  static List<Upstream> fromResolvConf(String content, String file, Consumer<String> skipped) {
    List<Upstream> servers = new ArrayList<>();
    String[] lines = content.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String[] words = lines[i].trim().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        try {
          servers.add(new Upstream(address(words[1], file + " line " + (i + 1), words[1]), DNS_PORT));
        } catch (ConfigException unusable) {
          skipped.accept(unusable.getMessage());
        }
      }
    }
    return servers;
  }

  public String host() {
    return NetUtil.toAddressString(address);
  }

  boolean ipv6() {
    return address.getAddress().length == 16;
  }

  /** Whether a datagram's sender address, as Vert.x gives it, is this upstream's. */
  boolean sentBy(String host, int fromPort) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
    return fromPort == port && bytes != null && Arrays.equals(bytes, address.getAddress());
  }

  @Override
  public String toString() {
    return ipv6() ? "[" + host() + "]:" + port : host() + ":" + port;
  }

  private static InetAddress address(String host, String field, String text) {
    if (host.contains("%")) {
      throw new ConfigException(field + ": \"" + text + "\" is a scoped IPv6 address (%interface), which is not supported");
    }
    byte[] bytes = Address.toByteArray(host, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(host, Address.IPv6);
    }
    if (bytes == null) {
      throw new ConfigException(field + ": \"" + text
        + "\" is not host:port with an IP address as host (IPv6 as [addr]:port); names are not allowed");
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4 or 16 byte address is always accepted", e);
    }
  }

  private static int port(String port, String field, String text) {
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new ConfigException(field + ": port in \"" + text + "\" must be a number from 1 to 65535");
    }
    return Integer.parseInt(port);
  }
}
