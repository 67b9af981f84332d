package dev.vxnet.fetch.client;

import dev.vxnet.net.Wire;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a response body travels in JSON: as text when the content type is textual and the bytes decode cleanly in
 * its charset (UTF-8 unless it names another), otherwise as base64, so that no byte is ever lost or replaced.
 */
record BodyEncoding(String encoding, String body) {

  static final String TEXT = "text";
  static final String BASE64 = "base64";
  private static final Pattern CHARSET = Pattern.compile(";\\s*charset=\"?([^\";\\s]+)\"?", Pattern.CASE_INSENSITIVE);

  static BodyEncoding of(String contentType, byte[] bytes) {
    if (contentType != null && isTextual(contentType)) {
      Charset charset = charset(contentType);
      if (charset != null) {
        Optional<String> text = Wire.decode(bytes, charset); // not what it claims to be: base64, which keeps every byte
        if (text.isPresent()) {
          return new BodyEncoding(TEXT, text.get());
        }
      }
    }
    return new BodyEncoding(BASE64, Base64.getEncoder().encodeToString(bytes));
  }

  static boolean isTextual(String contentType) {
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
      || type.equals("application/json") || type.endsWith("+json")
      || type.equals("application/xml") || type.endsWith("+xml")
      || type.equals("application/javascript") || type.equals("application/ecmascript")
      || type.equals("application/x-www-form-urlencoded");
  }

  /** The named charset, UTF-8 when none is named, or {@code null} when the name is unknown here. */
  private static Charset charset(String contentType) {
    Matcher matcher = CHARSET.matcher(contentType);
    if (!matcher.find()) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(matcher.group(1));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
