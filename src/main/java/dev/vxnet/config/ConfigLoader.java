package dev.vxnet.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Merges configuration through vertx-config, later stores winning: defaults (from the schema) &lt;
 * {@code conf/config.json} &lt; {@code VXNET_*} environment &lt; {@code -Dvxnet.*} properties &lt; {@code -conf} JSON.
 * The chain is built explicitly: {@code ConfigRetriever.create(vertx)} would apply the file last.
 * {@link #loadSection} reads the same chain synchronously, for what is needed before Vert.x exists.
 */
public final class ConfigLoader {

  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  private ConfigLoader() {
  }

  public static Future<JsonObject> load(Vertx vertx, Schema schema, JsonObject launcherConfig) {
    return load(vertx, schema, DEFAULT_FILE, launcherConfig);
  }

  static Future<JsonObject> load(Vertx vertx, Schema schema, Path file, JsonObject launcherConfig) {
    return vertx.fileSystem().exists(file.toString()).compose(present -> {
      ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false).setScanPeriod(0);
      if (present) {
        options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", file.toString())));
      }
      options.addStore(new ConfigStoreOptions().setType(PrefixedVariablesStore.TYPE).setConfig(new JsonObject().put("source", "env")));
      options.addStore(new ConfigStoreOptions().setType(PrefixedVariablesStore.TYPE).setConfig(new JsonObject().put("source", "sys")));
      options.addStore(new ConfigStoreOptions().setType("json").setConfig(launcherConfig == null ? new JsonObject() : launcherConfig));
      ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
      return retriever.getConfig()
        .recover(failure -> Future.failedFuture(new ConfigException(file + ": not a readable JSON object: " + failure.getMessage())))
        .eventually(retriever::close);
    }).map(schema::validate);
  }

  /**
   * One section through the same chain as {@link #load}, read synchronously and validated: the launcher needs
   * the {@code cluster} section before Vert.x (and so vertx-config) can run.
   */
  public static JsonObject loadSection(Section section, JsonObject launcherConfig) {
    JsonObject merged = new JsonObject();
    if (Files.isRegularFile(DEFAULT_FILE)) {
      JsonObject file;
      try {
        file = new JsonObject(Files.readString(DEFAULT_FILE));
      } catch (IOException | DecodeException e) {
        throw new ConfigException(DEFAULT_FILE + ": cannot read configuration: " + e.getMessage().lines().findFirst().orElse(""));
      }
      mergeSection(merged, section, file);
    }
    for (JsonObject source : List.of(PrefixedVariablesStore.environment(), PrefixedVariablesStore.systemProperties(),
      launcherConfig == null ? new JsonObject() : launcherConfig)) {
      mergeSection(merged, section, source);
    }
    return section.complete(merged);
  }

  private static void mergeSection(JsonObject merged, Section section, JsonObject source) {
    Object given = source.getValue(section.name());
    if (given instanceof JsonObject keys) {
      merged.mergeIn(keys);
    } else if (given != null) {
      throw new ConfigException(section.name() + ": expected an object of keys, got " + Describe.value(given));
    }
  }
}
