package dev.vxnet.logging;

import dev.vxnet.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LoggingSettingsTest {

  @Test
  void defaultsAreReadableTextWithAnAccessLogThatSkipsProbes() {
    LoggingSettings defaults = LoggingSettings.SECTION.read(null);
    assertEquals("text", defaults.format());
    assertEquals(Map.of(), defaults.levels());
    assertEquals(List.of("/health", "/ready", "/metrics"), defaults.accessLogSkip());
  }

  @Test
  void levelsPerLoggerInAnyCase() {
    LoggingSettings settings = LoggingSettings.SECTION.read(new JsonObject()
      .put("levels", new JsonObject().put("io.netty", "warn").put("dev.vxnet.dns", "DEBUG")).put("access_log", false));
    assertEquals(Map.of("io.netty", "WARN", "dev.vxnet.dns", "DEBUG"), settings.levels());
    assertFalse(settings.accessLog());
  }

  @Test
  void anUnknownLevelIsOneLineNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> LoggingSettings.SECTION.read(new JsonObject()
      .put("levels", new JsonObject().put("io.netty", "LOUD"))));
    assertEquals("logging.levels: \"io.netty\": expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got \"LOUD\"", e.getMessage());
    ConfigException notAnObject = assertThrows(ConfigException.class, () -> LoggingSettings.SECTION.read(new JsonObject()
      .put("levels", "io.netty")));
    assertEquals(1, notAnObject.getMessage().lines().count(), notAnObject.getMessage());
    assertEquals("logging.format: expected one of text, json, got \"xml\"", assertThrows(ConfigException.class,
      () -> LoggingSettings.SECTION.read(new JsonObject().put("format", "xml"))).getMessage());
    assertEquals("logging.access_log_skip: expected paths starting with /, got \"health\"", assertThrows(ConfigException.class,
      () -> LoggingSettings.SECTION.read(new JsonObject().put("access_log_skip", new io.vertx.core.json.JsonArray().add("health"))))
      .getMessage());
  }

  @Test
  void levelsFromTheEnvironmentAreNameEqualsLevelPairs() {
    JsonObject given = new JsonObject().put("levels", "io.netty=WARN, com.hazelcast=ERROR");
    assertEquals(Map.of("io.netty", "WARN", "com.hazelcast", "ERROR"), LoggingSettings.SECTION.read(given).levels());
    assertThrows(ConfigException.class, () -> LoggingSettings.SECTION.read(new JsonObject().put("levels", "io.netty")),
      "a pair without = is reported, not dropped");
  }
}
