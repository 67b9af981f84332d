package dev.vxnet.dns.resolver;

import org.xbill.DNS.Type;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The record types the resolver answers, plus {@code ADDR}: A and AAAA together, like getaddrinfo(AF_UNSPEC). */
public enum QueryType {
  A(Type.A), AAAA(Type.AAAA), CNAME(Type.CNAME), MX(Type.MX), TXT(Type.TXT), NS(Type.NS), SRV(Type.SRV),
  SOA(Type.SOA), PTR(Type.PTR), ADDR(-1);

  private static final String SUPPORTED = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

  private final int code;

  QueryType(int code) {
    this.code = code;
  }

  /** The DNS type number; ADDR has none. */
  public int code() {
    return code;
  }

  /** A single DNS record type of this set (ADDR excluded), by number. */
  public static Optional<QueryType> ofCode(int code) {
    return code < 0 ? Optional.empty() : Arrays.stream(values()).filter(t -> t.code == code).findFirst();
  }

  /**
   * A type given by name (any case) or by DNS type number, as a string or a JSON integer.
   * {@code null} means the default, A.
   *
   * @throws InvalidRequest naming {@code field} when the value is no supported type
   */
  public static QueryType parse(Object value, String field) {
    if (value == null) {
      return A;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ofNumber(((Number) value).longValue(), field);
    }
    if (!(value instanceof String text)) {
      throw new InvalidRequest(field, "expected a type name or number, got " + value);
    }
    String trimmed = text.trim();
    if (trimmed.matches("[0-9]{1,6}")) {
      return ofNumber(Long.parseLong(trimmed), field);
    }
    try {
      return valueOf(trimmed.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequest(field, "unknown type \"" + text + "\" (supported: " + SUPPORTED + ")");
    }
  }

  private static QueryType ofNumber(long number, String field) {
    if (number < 0 || number > 65535) {
      throw new InvalidRequest(field, "type number " + number + " is out of range (0 to 65535)");
    }
    int code = (int) number;
    return ofCode(code).orElseThrow(() -> new InvalidRequest(field,
      "type " + code + " (" + Type.string(code) + ") is not supported (supported: " + SUPPORTED + ")"));
  }
}
