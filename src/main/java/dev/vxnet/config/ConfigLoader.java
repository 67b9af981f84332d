package dev.vxnet.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * Merges configuration through vertx-config, later stores winning: defaults (from the schema) &lt;
 * {@code conf/config.json} &lt; {@code VXNET_*} environment &lt; {@code -Dvxnet.*} properties &lt; {@code -conf} JSON.
 * The chain is built explicitly: {@code ConfigRetriever.create(vertx)} would apply the file last. This is the one
 * path: the launcher reads it too, with a Vert.x of its own, before the node's Vert.x (and cluster) exists.
 */
public final class ConfigLoader {

  public static final Path DEFAULT_FILE = Path.of("conf", "config.json");

  private ConfigLoader() {
  }

  /**
   * The settings of every section: the chain merged, then checked off the event loop (checks may resolve names or
   * look at files). Fails with a {@link ConfigException} that lists every problem.
   */
  public static Future<Settings> load(Vertx vertx, Schema schema, JsonObject launcherConfig) {
    return load(vertx, schema, DEFAULT_FILE, launcherConfig);
  }

  static Future<Settings> load(Vertx vertx, Schema schema, Path file, JsonObject launcherConfig) {
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
    }).compose(merged -> vertx.executeBlocking(() -> schema.validate(merged), false));
  }
}
