package dev.vxnet.verticles;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Values;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One element of the {@code verticles} section: a verticle deployed beside the built-in services, after them, in any
 * language Vert.x has a verticle factory for (docs/polyglot.md).
 *
 * @param label     its place in the list, as messages name it: {@code verticles[2]}
 * @param name      a Groovy script ({@code groovy:path/x.groovy} or {@code path/x.groovy}, relative to the working
 *                  directory or on the class path), or a compiled verticle class (Java, Kotlin) by its class name
 * @param instances its instance count, 1-256, or {@code null} for {@code node.instances} (the launcher's {@code -instances})
 * @param config    its own deployment config, checked by the verticle itself when it starts
 * @param service   the name its counters are reported under in {@code /api/stats}, or {@code null} if it reports none
 */
public record VerticleSpec(String label, String name, Integer instances, JsonObject config, String service) {

  /** What {@code name} may look like: a factory prefix and anything, a path ending in a factory's suffix, or a class. */
  static final String NAME_PATTERN = "[A-Za-z0-9_.$/:\\\\-]{1,512}";
  static final String SERVICE_PATTERN = "[a-z][a-z0-9_-]{0,31}";

  public static final Section<List<VerticleSpec>> SECTION = Section.listOf("verticles",
    "Verticles in other languages (Groovy, Kotlin) or other Java classes, deployed after the built-in services "
      + "([polyglot.md](polyglot.md)).",
    VerticleSpec::parse,
    Key.text("name", null, NAME_PATTERN, "Required. `groovy:path/x.groovy` or `path/x.groovy` (a Groovy script, relative to the "
      + "working directory or on the class path), or a verticle class name (Java, Kotlin). Missing scripts and classes, "
      + "and scripts that do not compile, stop the start before any port is bound."),
    Key.integer("instances", null, 1, 256, "Verticle instances; unset means `node.instances` (the launcher's `-instances`)."),
    Key.object("config", "The verticle's own configuration (its `config()`); the verticle checks it when it starts."),
    Key.text("service", null, SERVICE_PATTERN, "Name under which the verticle reports counters in `/api/stats` (it answers "
      + "`vxnet.stats.node`, see [event-bus.md](event-bus.md)); the node then waits for one answer per instance. "
      + "Unset: it reports none. Not a built-in service's name, and not another verticle's."));

  private static VerticleSpec parse(Values values) {
    if (values.text("name") == null) {
      values.problem("name", "required: a Groovy script (groovy:path/x.groovy or path/x.groovy) or a verticle class name");
    }
    return new VerticleSpec(values.section(), values.text("name"), values.optionalInteger("instances"), values.object("config").copy(),
      values.text("service"));
  }
}
