package dev.vxnet.metrics;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * The {@code metrics} section. Read by the launcher before Vert.x starts: Vert.x's metrics are chosen when it is
 * built, so changing these needs a restart.
 *
 * @param enabled whether Vert.x runs with Micrometer metrics and the web servers serve {@code /metrics}
 * @param jvm     whether the JVM's own meters (memory, GC, threads, CPU) are included
 */
public record MetricsSettings(boolean enabled, boolean jvm) {

  public static final Section<MetricsSettings> SECTION = Section.of("metrics",
    "Prometheus metrics at `/metrics` (docs/observability.md); read when the node starts.",
    values -> new MetricsSettings(values.flag("enabled"), values.flag("jvm")),
    Key.flag("enabled", true, "Collect Vert.x's and every service's metrics and serve them at `/metrics` "
      + "(HTTPS, plain HTTP, and the management port when enabled)."),
    Key.flag("jvm", true, "Include the JVM's meters (`jvm_*`, `process_*`, `system_*`: memory, GC, threads, CPU)."));
}
