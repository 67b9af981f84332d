package dev.vxnet.dns.resolver;

import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

import java.util.Optional;

/**
 * Checks a domain name given as text before anything goes on the network: at most 253 characters (without the
 * final dot), labels of 1 to 63 letters, digits, hyphens (not first or last) and underscores (as in SRV names).
 */
final class DnsNames {

  static final int MAX_NAME = 253;
  static final int MAX_LABEL = 63;

  private DnsNames() {
  }

  /** The absolute name for {@code value}; a final dot is optional, {@code "."} is the root. */
  static Name parse(Object value, String field) {
    if (value == null) {
      throw new InvalidRequest(field, "missing; expected a domain name such as example.com");
    }
    if (!(value instanceof String text)) {
      throw new InvalidRequest(field, "expected a domain name string, got " + value);
    }
    if (text.isEmpty()) {
      throw new InvalidRequest(field, "is empty; expected a domain name such as example.com");
    }
    if (text.equals(".")) {
      return Name.root;
    }
    String bare = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    if (bare.length() > MAX_NAME) {
      throw new InvalidRequest(field, "is " + bare.length() + " characters long; at most " + MAX_NAME
        + " are allowed (without the final dot)");
    }
    for (String label : bare.split("\\.", -1)) {
      Optional<String> problem = labelProblem(label);
      if (problem.isPresent()) {
        throw new InvalidRequest(field, problem.get());
      }
    }
    try {
      return Name.fromString(bare + ".");
    } catch (TextParseException e) {
      throw new InvalidRequest(field, "is not a domain name: " + e.getMessage());
    }
  }

  /** The in-addr.arpa or ip6.arpa name of an IPv4 or IPv6 address literal; empty when {@code text} is none. */
  static Optional<Name> reverse(String text) {
    byte[] address = Address.toByteArray(text, Address.IPv4);
    if (address == null) {
      address = Address.toByteArray(text, Address.IPv6);
    }
    return Optional.ofNullable(address).map(ReverseMap::fromAddress);
  }

  private static Optional<String> labelProblem(String label) {
    if (label.isEmpty()) {
      return Optional.of("has an empty label (a leading dot or two dots in a row)");
    }
    if (label.length() > MAX_LABEL) {
      return Optional.of("label \"" + label.substring(0, 20) + "...\" is " + label.length()
        + " characters long; at most " + MAX_LABEL + " are allowed");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
      if (!allowed) {
        return Optional.of("label \"" + label + "\" contains " + describe(c)
          + "; only letters, digits, hyphens and underscores are allowed (internationalised names as xn--)");
      }
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return Optional.of("label \"" + label + "\" starts or ends with a hyphen");
    }
    return Optional.empty();
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("the character U+%04X", (int) c);
  }
}
