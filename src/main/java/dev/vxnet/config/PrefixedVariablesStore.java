package dev.vxnet.config;

import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Map;

/**
 * A vertx-config store for {@code VXNET_TCP_PORT} environment variables ({@code "source": "env"}) or
 * {@code -Dvxnet.tcp.port} system properties ({@code "source": "sys"}), both turned into {@code {"tcp":{"port":..}}}.
 * The section is what comes before the first separator, the key is the rest, in lower case; values stay
 * strings and are typed by the schema.
 */
public final class PrefixedVariablesStore implements ConfigStore {

  public static final String TYPE = "vxnet-vars";

  private final JsonObject values;

  PrefixedVariablesStore(JsonObject values) {
    this.values = values;
  }

  /** {@code VXNET_TCP_PORT=8080} as {@code {"tcp":{"port":"8080"}}}. */
  public static JsonObject environment() {
    return toSections(System.getenv(), "VXNET_", "_");
  }

  /** {@code -Dvxnet.tcp.port=8080} as {@code {"tcp":{"port":"8080"}}}. */
  public static JsonObject systemProperties() {
    return toSections(System.getProperties(), "vxnet.", ".");
  }

  static JsonObject toSections(Map<?, ?> variables, String prefix, String separator) {
    JsonObject sections = new JsonObject();
    variables.forEach((rawName, rawValue) -> {
      String name = String.valueOf(rawName);
      if (!name.startsWith(prefix) || name.length() == prefix.length()) {
        return;
      }
      String rest = name.substring(prefix.length()).toLowerCase(Locale.ROOT);
      int split = rest.indexOf(separator.toLowerCase(Locale.ROOT));
      if (split <= 0) {
        sections.put(rest, String.valueOf(rawValue)); // not section.key: validation names it as an unknown section
        return;
      }
      String section = rest.substring(0, split);
      Object existing = sections.getValue(section);
      JsonObject keys = existing instanceof JsonObject object ? object : new JsonObject();
      keys.put(rest.substring(split + separator.length()), String.valueOf(rawValue));
      sections.put(section, keys);
    });
    return sections;
  }

  @Override
  public Future<Buffer> get() {
    return Future.succeededFuture(values.toBuffer());
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Registered in {@code META-INF/services/io.vertx.config.spi.ConfigStoreFactory}. */
  public static final class Factory implements ConfigStoreFactory {

    @Override
    public String name() {
      return TYPE;
    }

    @Override
    public ConfigStore create(Vertx vertx, JsonObject configuration) {
      return new PrefixedVariablesStore("sys".equals(configuration.getString("source")) ? systemProperties() : environment());
    }
  }
}
