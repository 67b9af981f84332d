package dev.vxnet.https;

import dev.vxnet.config.Section;
import dev.vxnet.config.Settings;
import dev.vxnet.web.WebSettings;

import java.util.List;

/**
 * The {@code management} section: a plain HTTP server for operators only, on loopback by default, serving
 * {@code /metrics}, {@code /health} and {@code /ready}. Enabled, it takes {@code /metrics} off the public ports.
 *
 * @param host address to bind
 * @param port port to bind, 0 = one free port
 * @param web  limits and timeouts
 */
public record ManagementSettings(String host, int port, WebSettings web) {

  public static final Section<ManagementSettings> SECTION = Section.optionalService("management", "127.0.0.1", 9464,
    "Management port (plain HTTP, loopback by default): /metrics, /health and /ready only; disabled by default. "
      + "Enabled, /metrics is served here and no longer on the https and http ports.",
    values -> new ManagementSettings(values.text("host"), values.integer("port"), WebSettings.from(values)),
    WebSettings.keysAnd(List.of()));

  /**
   * The check between {@code management} and the public web servers: with the management port enabled, https and
   * http do not serve {@code /metrics}.
   */
  public static Settings metricsOnManagementPort(Settings settings) {
    if (!settings.deployment(SECTION).enabled()) {
      return settings;
    }
    HttpsSettings https = settings.get(HttpsSettings.SECTION);
    HttpSettings http = settings.get(HttpSettings.SECTION);
    return settings.with(HttpsSettings.SECTION, https.withWeb(https.web().withoutMetrics()))
      .with(HttpSettings.SECTION, http.withWeb(http.web().withoutMetrics()));
  }
}
