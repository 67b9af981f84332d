package dev.vxnet.https;

import dev.vxnet.config.Section;
import dev.vxnet.web.WebSettings;

/**
 * The {@code https} section.
 *
 * @param host address to bind
 * @param port port to bind, 0 = one free port all instances share
 * @param web  the web application's limits and timeouts
 * @param tls  certificate, engine and client certificates
 */
public record HttpsSettings(String host, int port, WebSettings web, TlsSettings tls) {

  public static final Section<HttpsSettings> SECTION = Section.service("https", 8443,
    "HTTPS: TLS 1.2/1.3, HTTP/2 and HTTP/1.1, static files, echo and stats API.",
    values -> new HttpsSettings(values.text("host"), values.integer("port"), WebSettings.from(values), TlsSettings.from(values)),
    WebSettings.keysAnd(TlsSettings.KEYS));
}
