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

  /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}. */
  public static String httpVersion(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2";
    };
  }
}
