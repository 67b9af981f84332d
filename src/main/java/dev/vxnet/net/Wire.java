package dev.vxnet.net;

import io.vertx.core.http.HttpVersion;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Optional;

/** How what travels on the wire is read and named: text decoded strictly, HTTP versions as on a status line. */
public final class Wire {

  private Wire() {
  }

  /**
   * {@code bytes} as text in {@code charset}, or empty when they are not valid in it: malformed or unmappable input is
   * reported, never replaced, so that no byte is lost silently.
   */
  public static Optional<String> decode(byte[] bytes, Charset charset) {
    try {
      return Optional.of(charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The first {@code %} in {@code text} that is not followed by two hex digits (RFC 3986 section 2.1), described with
   * its position, or empty when every escape is well formed.
   */
  public static Optional<String> badPercentEscape(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '%' && (i + 2 >= text.length() || !isHex(text.charAt(i + 1)) || !isHex(text.charAt(i + 2)))) {
        StringBuilder shown = new StringBuilder("%");
        for (int j = i + 1; j < Math.min(text.length(), i + 3); j++) {
          char c = text.charAt(j);
          shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return Optional.of("\"" + shown + "\" at " + i + " is not a percent-escape (% and two hex digits)");
      }
    }
    return Optional.empty();
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}. */
  public static String httpVersion(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }
}
