package dev.vxnet.fetch.client;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network such as {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a /32 or /128.
 * Parsing never touches DNS: only literal addresses are accepted.
 */
public final class Cidr {

  private final byte[] network;
  private final int prefix;

  private Cidr(byte[] network, int prefix) {
    this.network = network;
    this.prefix = prefix;
  }

  /** Parses {@code address} or {@code address/prefix}; the message says what is wrong. */
  public static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literal(addressPart)
      .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR"));
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String prefixPart = trimmed.substring(slash + 1);
      if (!prefixPart.matches("\\d{1,3}") || Integer.parseInt(prefixPart) > bits) {
        throw new IllegalArgumentException("'" + text + "': prefix length must be 0 to " + bits);
      }
      prefix = Integer.parseInt(prefixPart);
    }
    Cidr cidr = new Cidr(bytes, prefix);
    if (!Arrays.equals(bytes, cidr.masked(bytes))) {
      throw new IllegalArgumentException("'" + text + "': address has bits set beyond the /" + prefix
        + " prefix (did you mean " + new Cidr(cidr.masked(bytes), prefix) + "?)");
    }
    return cidr;
  }

  /**
   * The bytes of an IP literal ({@code 10.0.0.1}, {@code ::1}, {@code [::1]}), IPv4-mapped IPv6 reduced to
   * its 4 IPv4 bytes, or empty when {@code text} is not a literal (a host name).
   */
  public static Optional<byte[]> literal(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    return Optional.ofNullable(bytes).map(Cidr::unmapped);
  }

  /** {@code ::ffff:a.b.c.d} is the IPv4 host a.b.c.d for every purpose here: its rules must apply. */
  static byte[] unmapped(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    return address[10] == (byte) 0xff && address[11] == (byte) 0xff ? Arrays.copyOfRange(address, 12, 16) : address;
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  public boolean contains(byte[] address) {
    byte[] bytes = unmapped(address);
    return bytes.length == network.length && Arrays.equals(masked(bytes), network);
  }

  private byte[] masked(byte[] bytes) {
    byte[] result = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
      result[i] = (byte) (bytes[i] & (0xff << (8 - bitsHere)));
    }
    return result;
  }

  @Override
  public String toString() {
    return NetUtil.bytesToIpAddress(network) + "/" + prefix;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that && prefix == that.prefix && Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }
}
