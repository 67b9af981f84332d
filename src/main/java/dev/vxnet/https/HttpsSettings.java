package dev.vxnet.https;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.web.WebSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code https} section.
 *
 * @param host address to bind
 * @param port port to bind, 0 = one free port all instances share
 * @param web  the web application's limits and timeouts
 * @param tls  certificate, engine and client certificates
 * @param compression compress text answers ({@link Compressible})
 */
public record HttpsSettings(String host, int port, WebSettings web, TlsSettings tls, boolean compression) {

  public static final Section<HttpsSettings> SECTION = Section.service("https", 8443,
    "HTTPS: TLS 1.2/1.3, HTTP/2 and HTTP/1.1, static files, echo and stats API, the test fixture.",
    values -> new HttpsSettings(values.text("host"), values.integer("port"), WebSettings.from(values), TlsSettings.from(values),
      values.flag("compression")),
    WebSettings.keysAnd(withCompression()));

  private static List<Key> withCompression() {
    List<Key> keys = new ArrayList<>(TlsSettings.KEYS);
    keys.add(Compressible.key(true, "Under TLS files are never sent with zero-copy anyway."));
    return keys;
  }
}
