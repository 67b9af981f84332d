package dev.vxnet.config;

import dev.vxnet.Services;
import dev.vxnet.chat.ChatSettings;
import dev.vxnet.tcp.TcpSettings;
import dev.vxnet.udp.UdpSettings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store chain: file &lt; environment &lt; system properties &lt; -conf (the environment is covered by LauncherIT). */
@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("vxnet.udp.port");
    System.clearProperty("vxnet.chat.port");
    System.clearProperty("vxnet.tcp.idle_timeout_ms");
  }

  private Settings load(Vertx vertx, Path file, JsonObject conf) throws Exception {
    return ConfigLoader.load(vertx, Services.schema(), file, conf).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void laterSourcesWin(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"tcp\":{\"port\":1000},\"udp\":{\"port\":1001},\"chat\":{\"port\":1002}}");
    System.setProperty("vxnet.udp.port", "2001");
    System.setProperty("vxnet.chat.port", "2002");
    Settings config = load(vertx, file, new JsonObject().put("chat", new JsonObject().put("port", 3002)));
    assertEquals(1000, config.get(TcpSettings.SECTION).port(), "file over default");
    assertEquals(2001, config.get(UdpSettings.SECTION).port(), "system property over file");
    assertEquals(3002, config.get(ChatSettings.SECTION).port(), "-conf over system property");
  }

  @Test
  void missingFileMeansDefaults(Vertx vertx, @TempDir Path dir) throws Exception {
    Settings config = load(vertx, dir.resolve("absent.json"), new JsonObject());
    assertEquals(8888, config.get(TcpSettings.SECTION).port());
  }

  @Test
  void badSystemPropertyNamesTheKey(Vertx vertx, @TempDir Path dir) {
    System.setProperty("vxnet.tcp.idle_timeout_ms", "soon");
    ExecutionException failure = assertThrows(ExecutionException.class, () -> load(vertx, dir.resolve("absent.json"), new JsonObject()));
    ConfigException problem = assertInstanceOf(ConfigException.class, failure.getCause());
    assertEquals("tcp.idle_timeout_ms: expected an integer from 0 to 2147483647, got \"soon\"", problem.getMessage());
  }

  @Test
  void malformedFileIsNamed(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"tcp\": {\"port\": 80");
    ExecutionException failure = assertThrows(ExecutionException.class, () -> load(vertx, file, new JsonObject()));
    assertInstanceOf(ConfigException.class, failure.getCause());
    assertTrue(failure.getCause().getMessage().startsWith(file + ": not a readable JSON object"), failure.getCause().getMessage());
  }
}
