package dev.vxnet.https;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Settings;
import dev.vxnet.web.WebSettings;

import java.util.List;

/**
 * The {@code http} section.
 *
 * @param host         address to bind
 * @param port         port to bind, 0 = one free port all instances share
 * @param web          the web application's limits and timeouts (used in full when not redirecting)
 * @param redirect     redirect to HTTPS rather than serve the application
 * @param redirectPort HTTPS port in redirect URLs; {@code null} until {@link #redirectPortFromHttps} fills it in
 * @param compression  compress text answers ({@link Compressible})
 */
public record HttpSettings(String host, int port, WebSettings web, boolean redirect, Integer redirectPort, boolean compression) {

  public static final Section<HttpSettings> SECTION = Section.service("http", 8080,
    "Plain HTTP: redirects to HTTPS (except /health and the test fixture), or serves the HTTPS application without TLS.",
    values -> new HttpSettings(values.text("host"), values.integer("port"), WebSettings.from(values), values.flag("redirect"),
      values.optionalInteger("redirect_port"), values.flag("compression")),
    WebSettings.keysAnd(List.of(
      Key.flag("redirect", true, "Redirect to HTTPS (301 for GET/HEAD, 308 otherwise); false serves the application here too."),
      Key.integer("redirect_port", null, 1, 65535,
        "HTTPS port in redirect URLs; unset means `https.port` (then https must be enabled on a port other than 0). "
          + "443 is left out of the URL."),
      Compressible.key(false, "Off by default here: on, plain HTTP loses zero-copy `sendfile` for every file."))));

  /**
   * The check between {@code http} and {@code https}, run before any port is bound: a redirecting {@code http} without
   * {@code redirect_port} redirects to {@code https.port}, which must then be known (https enabled, port not 0).
   */
  public static Settings redirectPortFromHttps(Settings settings) {
    HttpSettings http = settings.get(SECTION);
    if (!settings.deployment(SECTION).enabled() || !http.redirect || http.redirectPort != null) {
      return settings;
    }
    HttpsSettings https = settings.get(HttpsSettings.SECTION);
    if (!settings.deployment(HttpsSettings.SECTION).enabled() || https.port() == 0) {
      throw new ConfigException("http.redirect_port: required when http.redirect is true and "
        + (https.port() == 0 ? "https.port is 0 (its port is only known once bound)" : "https is not enabled on this node"));
    }
    return settings.with(SECTION, new HttpSettings(http.host, http.port, http.web, true, https.port(), http.compression));
  }

  /** The HTTPS port to redirect to; a verticle deployed on its own must be given {@code redirect_port}. */
  int httpsPort() {
    if (redirectPort == null) {
      throw new ConfigException("http.redirect_port: required when http.redirect is true and http is deployed without MainVerticle");
    }
    return redirectPort;
  }
}
