package dev.vxnet.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;

/** Renders the schema as the Markdown reference in docs/config.md, so the docs cannot drift from the code. */
public final class ConfigDocs {

  private ConfigDocs() {
  }

  public static String markdown(Schema schema) {
    StringBuilder out = new StringBuilder()
      .append("# Configuration reference\n\n")
      .append("Generated from the code (`ConfigDocsTest` fails when this file is stale; regenerate with\n")
      .append("`mvn -q test -Dtest=ConfigDocsTest -Dvxnet.docs.write=true`).\n\n")
      .append("Sources, later wins: defaults < `conf/config.json` < environment `VXNET_<SECTION>_<KEY>` <\n")
      .append("system property `-Dvxnet.<section>.<key>` < the launcher's `-conf` JSON. In the environment and in\n")
      .append("system properties every value is a string; lists are comma-separated.\n");
    for (Section<?> section : schema.sections()) {
      out.append("\n## `").append(section.name()).append("`: ").append(section.doc()).append("\n\n");
      if (section.isList()) {
        out.append("A list of objects with these keys (`").append(section.name()).append("[i].key`); empty by default. In the\n")
          .append("environment (`VXNET_").append(section.name().toUpperCase(Locale.ROOT)).append("`) or a system property (`-Dvxnet.")
          .append(section.name()).append("`), the whole list as JSON text.\n\n")
          .append("| key | default | allowed | meaning |\n|---|---|---|---|\n");
        for (Key key : section.keys()) {
          out.append("| `").append(section.name()).append("[i].").append(key.name()).append("` | ").append(defaultOf(key))
            .append(" | ").append(key.expected().replace("|", "\\|")).append(" | ").append(key.doc()).append(" |\n");
        }
        continue;
      }
      out.append("| key | default | allowed | meaning | environment |\n|---|---|---|---|---|\n");
      for (Key key : section.keys()) {
        out.append("| `").append(section.name()).append('.').append(key.name()).append("` | ")
          .append(defaultOf(key)).append(" | ").append(key.expected().replace("|", "\\|")).append(" | ")
          .append(key.doc()).append(" | `VXNET_").append(section.name().toUpperCase(Locale.ROOT)).append('_')
          .append(key.name().toUpperCase(Locale.ROOT)).append("` |\n");
      }
    }
    return out.toString();
  }

  private static String defaultOf(Key key) {
    Object value = key.defaultValue();
    if (value == null) {
      return "unset";
    }
    if (value instanceof JsonObject object) {
      return "`" + object.encode() + "`";
    }
    if (value instanceof JsonArray list) {
      return list.isEmpty() ? "empty" : "`" + String.join(",", list.stream().map(String::valueOf).toList()) + "`";
    }
    return "`" + value + "`";
  }
}
