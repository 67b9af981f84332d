package dev.vxnet.dns.upstream;

import dev.vxnet.config.ConfigException;
import io.netty.util.NetUtil;
import org.xbill.DNS.Address;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A DNS server queries are forwarded to, as {@code dns.upstreams} lists it:
 * <ul>
 *   <li>{@code ip:port}, {@code [ipv6]:port} or a bare address (port 53): plain DNS, UDP with TCP when truncated
 *       (RFC 1035, 7766). Only an address: a plain upstream is never itself looked up.</li>
 *   <li>{@code tls://host[:port]} (port 853): DNS over TLS (RFC 7858), the certificate verified against {@code host}.</li>
 *   <li>{@code https://host[:port]/path} (port 443): DNS over HTTPS (RFC 8484), POST over HTTP/2, the certificate
 *       verified against {@code host}.</li>
 * </ul>
 * The encrypted forms take options after {@code #} (never sent anywhere), joined with {@code &}:
 * {@code ip=ADDRESS} connects there instead of looking {@code host} up (at start, through the system resolver), and
 * {@code pin=BASE64} requires the server's public key to have this SHA-256 (of its DER SubjectPublicKeyInfo, as
 * {@code kdig +tls-pin} takes it; RFC 7858 section 4.2), on top of the certificate check.
 *
 * @param protocol how queries are sent
 * @param address  where to connect; {@code null} until a host name is looked up ({@link #resolved})
 * @param port     port, 1-65535
 * @param host     the name (or address) the certificate must be valid for; SNI and the HTTP Host; the address for plain
 * @param path     the path (and query) of a DoH URL; {@code null} for the others
 * @param pin      SHA-256 of the server's SubjectPublicKeyInfo (32 bytes), or {@code null}
 * @param text     the upstream as configured (without options): its name in stats and error messages
 */
public record Upstream(Protocol protocol, InetAddress address, int port, String host, String path, byte[] pin, String text) {

  /** How an upstream is asked. */
  public enum Protocol { PLAIN, TLS, HTTPS }

  static final int DNS_PORT = 53;
  static final int DOT_PORT = 853;
  static final int HTTPS_PORT = 443;
  private static final int PIN_BYTES = 32;
  private static final String FORMS = "expected ip:port ([ipv6]:port), tls://host[:port] or https://host[:port]/path";

  /**
   * An upstream as configured; a name in {@code tls://} or {@code https://} without {@code ip=} is left to look up.
   *
   * @throws ConfigException naming {@code field} and what was expected
   */
  public static Upstream parse(String text, String field) {
    String value = text.trim();
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.startsWith("tls://") || lower.startsWith("https://")) {
      return encrypted(value, field);
    }
    if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
      throw new ConfigException(field + ": unknown scheme in \"" + text + "\"; " + FORMS);
    }
    return plain(value, field, text);
  }

  private static Upstream plain(String value, String field, String text) {
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
    if (host.contains("%")) {
      throw new ConfigException(field + ": \"" + text + "\" is a scoped IPv6 address (%interface), which is not supported");
    }
    InetAddress address = literal(host).orElseThrow(() -> new ConfigException(field + ": \"" + text
      + "\" is not host:port with an IP address as host (IPv6 as [addr]:port); names are not allowed in plain upstreams "
      + "(" + FORMS + ")"));
    int portNumber = port == null ? DNS_PORT : port(port, field, text);
    String name = NetUtil.toAddressString(address);
    return new Upstream(Protocol.PLAIN, address, portNumber, name, null, null, hostPort(name, portNumber));
  }

  private static Upstream encrypted(String value, String field) {
    int hash = value.indexOf('#');
    String url = hash < 0 ? value : value.substring(0, hash);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new ConfigException(field + ": \"" + url + "\" is not a URL: " + e.getReason());
    }
    Protocol protocol = uri.getScheme().equalsIgnoreCase("tls") ? Protocol.TLS : Protocol.HTTPS;
    String host = uri.getHost();
    if (host == null || uri.getUserInfo() != null) {
      throw new ConfigException(field + ": \"" + url + "\" has no host, or one vxnet cannot read; " + FORMS);
    }
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    int port = uri.getPort() < 0 ? (protocol == Protocol.TLS ? DOT_PORT : HTTPS_PORT) : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new ConfigException(field + ": port in \"" + url + "\" must be a number from 1 to 65535");
    }
    String path = null;
    boolean noPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
    if (protocol == Protocol.TLS && (!noPath || uri.getRawQuery() != null)) {
      throw new ConfigException(field + ": \"" + url + "\" has a path; DNS over TLS takes only tls://host[:port]");
    }
    if (protocol == Protocol.HTTPS) {
      if (noPath) {
        throw new ConfigException(field + ": \"" + url + "\" has no path; DNS over HTTPS needs the server's, such as "
          + "https://" + host + "/dns-query");
      }
      path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
    InetAddress address = literal(host).orElse(null);
    byte[] pin = null;
    if (hash >= 0) {
      for (String option : value.substring(hash + 1).split("&")) {
        String[] pair = option.split("=", 2);
        switch (pair.length == 2 ? pair[0] : "") {
          case "ip" -> address = literal(pair[1]).orElseThrow(() -> new ConfigException(field + ": ip=" + pair[1]
            + " is not an IP address"));
          case "pin" -> pin = pin(pair[1], field);
          default -> throw new ConfigException(field + ": unknown option \"" + option + "\" after # (known: ip=ADDRESS, pin=BASE64)");
        }
      }
    }
    String text = (protocol == Protocol.TLS ? "tls://" : "https://") + hostPort(host, port) + (path == null ? "" : path);
    return new Upstream(protocol, address, port, host, path, pin, text);
  }

  private static byte[] pin(String base64, String field) {
    byte[] pin;
    try {
      pin = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      pin = null;
    }
    if (pin == null || pin.length != PIN_BYTES) {
      throw new ConfigException(field + ": pin=" + base64 + " is not the base64 of a SHA-256 digest (32 bytes)");
    }
    return pin;
  }

  /**
   * The {@code nameserver} lines of a resolv.conf text, port 53 each. A line vxnet cannot use (a scoped IPv6 address
   * such as {@code fe80::1%eth0}) is passed to {@code skipped} with its reason instead of stopping the start.
   */
  public static List<Upstream> fromResolvConf(String content, String file, Consumer<String> skipped) {
    List<Upstream> servers = new ArrayList<>();
    String[] lines = content.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String[] words = lines[i].trim().split("\\s+");
      if (words.length >= 2 && words[0].equals("nameserver")) {
        String where = file + " line " + (i + 1);
        if (words[1].contains("%")) {
          skipped.accept(where + ": \"" + words[1] + "\" is a scoped IPv6 address (%interface), which is not supported");
        } else {
          literal(words[1]).ifPresentOrElse(
            address -> servers.add(plain(words[1].contains(":") ? "[" + words[1] + "]" : words[1], where, words[1])),
            () -> skipped.accept(where + ": \"" + words[1] + "\" is not an IP address"));
        }
      }
    }
    return servers;
  }

  /** This upstream with its host name looked up. */
  public Upstream resolved(InetAddress resolved) {
    return new Upstream(protocol, resolved, port, host, path, pin, text);
  }

  boolean ipv6() {
    return address.getAddress().length == 16;
  }

  @Override
  public String toString() {
    return text;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The address of an IPv4 or IPv6 literal; empty for anything else (a name). */
  private static Optional<InetAddress> literal(String host) {
    if (host.contains("%")) {
      return Optional.empty();
    }
    byte[] bytes = Address.toByteArray(host, Address.IPv4);
    if (bytes == null) {
      bytes = Address.toByteArray(host, Address.IPv6);
    }
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
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
