package dev.vxnet.dns.wire;

import org.xbill.DNS.Type;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.Optional;

/**
 * A record type a question may ask for: any DNS data type (RFC 6895 section 3.1: 1-127 except OPT, 256-65534), by
 * its number, plus {@code ADDR}: A and AAAA together, like getaddrinfo(AF_UNSPEC), on the event bus only. The
 * query meta-types (ANY, AXFR, IXFR, MAILA, MAILB, TSIG, TKEY: 128-255), OPT (41) and the reserved 0 and 65535 are
 * refused: a forwarding resolver answers data, not zone transfers or meta-queries.
 *
 * @param code the DNS type number; -1 for ADDR
 */
public record QueryType(int code) {

  /** A type given as its number (String.matches would compile this per DoH request: 1.3 % of the doh-cached profile). */
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,6}");

  public static final QueryType ADDR = new QueryType(-1);
  public static final QueryType A = new QueryType(Type.A);
  public static final QueryType AAAA = new QueryType(Type.AAAA);
  public static final QueryType CNAME = new QueryType(Type.CNAME);
  public static final QueryType MX = new QueryType(Type.MX);
  public static final QueryType TXT = new QueryType(Type.TXT);
  public static final QueryType NS = new QueryType(Type.NS);
  public static final QueryType SRV = new QueryType(Type.SRV);
  public static final QueryType SOA = new QueryType(Type.SOA);
  public static final QueryType PTR = new QueryType(Type.PTR);

  private static final String EXPECTED = "a record type such as A, AAAA, CNAME, MX, TXT, NS, SRV, SOA, PTR, HTTPS or CAA, "
    + "a type number, or ADDR";

  /** The type's mnemonic ({@code TYPE65280} for one without a name), or {@code ADDR}. */
  public String name() {
    return code < 0 ? "ADDR" : Type.string(code);
  }

  @Override
  public String toString() {
    return name();
  }

  /** A data type by number; empty for a meta-type, OPT or a reserved number ({@link #refusal} says why). */
  public static Optional<QueryType> ofCode(int code) {
    return refusal(code).isPresent() ? Optional.empty() : Optional.of(new QueryType(code));
  }

  /** Why questions for type {@code code} are not answered, or empty when they are. */
  public static Optional<String> refusal(int code) {
    if (code <= 0 || code >= 65535) {
      return Optional.of("type " + code + " is reserved (RFC 6895)");
    }
    if (code == Type.OPT) {
      return Optional.of("type 41 (OPT) is a pseudo-record of EDNS, not a question (RFC 6891)");
    }
    if (code >= 128 && code <= 255) {
      return Optional.of("type " + code + " (" + Type.string(code) + ") is a query meta-type: vxnet forwards questions "
        + "for data types only, no ANY, zone transfers or TSIG/TKEY (RFC 6895 section 3.1, RFC 8482)");
    }
    return Optional.empty();
  }

  /**
   * A type given by name (any case) or by DNS type number, as a string or a JSON integer. {@code null} means the
   * default, A.
   *
   * @throws InvalidRequest naming {@code field} when the value is no type that can be asked
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
    String trimmed = text.trim().toUpperCase(Locale.ROOT);
    if (NUMBER.matcher(trimmed).matches()) {
      return ofNumber(Long.parseLong(trimmed), field);
    }
    if (trimmed.equals("ADDR")) {
      return ADDR;
    }
    int code = trimmed.isEmpty() ? -1 : Type.value(trimmed);
    if (code < 0) {
      throw new InvalidRequest(field, "unknown type \"" + text + "\" (expected " + EXPECTED + ")");
    }
    return ofNumber(code, field);
  }

  private static QueryType ofNumber(long number, String field) {
    if (number < 0 || number > 65535) {
      throw new InvalidRequest(field, "type number " + number + " is out of range (0 to 65535)");
    }
    int code = (int) number;
    return ofCode(code).orElseThrow(() -> new InvalidRequest(field, refusal(code).orElseThrow()));
  }
}
