package dev.vxnet.dns.wire;

import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TextParseException;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Checks a domain name before anything goes on the network, the same way whether it came as text (the event bus,
 * DoH JSON) or in a DNS message (Do53, DoT, DoH wire): at most 253 characters (without the final dot), labels of 1
 * to 63 letters, digits, hyphens (not first or last) and underscores (as in SRV names).
 */
public final class DnsNames {

  public static final int MAX_NAME = 253;
  public static final int MAX_LABEL = 63;

  private DnsNames() {
  }

  /**
   * The absolute name for {@code value}; a final dot is optional, {@code "."} is the root.
   *
   * @throws InvalidRequest naming {@code field} and the rule broken
   */
  public static Name parse(Object value, String field) {
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

  /**
   * Why a name of a DNS message breaks the rules that names given as text follow, or empty when it does not. Its
   * labels are checked byte by byte (a space is a space here, where dnsjava's text form would escape it).
   */
  public static Optional<String> problem(Name name) {
    int length = 0;
    for (int i = 0; i < name.labels(); i++) {
      byte[] label = name.getLabel(i);
      if (label.length <= 1) {
        continue; // the root label
      }
      length += label.length; // the label and one dot
      Optional<String> problem = labelProblem(new String(label, 1, label.length - 1, StandardCharsets.ISO_8859_1));
      if (problem.isPresent()) {
        return problem;
      }
    }
    int textLength = Math.max(0, length - 1);
    return textLength > MAX_NAME
      ? Optional.of("is " + textLength + " characters long; at most " + MAX_NAME + " are allowed (without the final dot)")
      : Optional.empty();
  }

  /** The in-addr.arpa or ip6.arpa name of an IPv4 or IPv6 address literal; empty when {@code text} is none. */
  public static Optional<Name> reverse(String text) {
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
