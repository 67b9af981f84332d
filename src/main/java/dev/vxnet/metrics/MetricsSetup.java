package dev.vxnet.metrics;

import dev.vxnet.net.Listening;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Vert.x's metrics SPI on Micrometer (vertx-micrometer-metrics) with a Prometheus registry, shaped for vxnet:
 * HTTP server requests by route template and status class with latency histograms, net servers tagged with the
 * service that listens there, event-bus addresses with their one-off parts folded, and a bound on every label that
 * a client could multiply. The names are listed in docs/observability.md.
 */
public final class MetricsSetup {

  /** Histogram buckets of every latency: 1 ms to 10 s, the range of vxnet's deadlines. */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  /** Event-bus addresses kept apart at most; any more are dropped rather than grow the scrape without end. */
  static final int MAX_ADDRESSES = 200;
  /** One-off and client-chosen parts of event-bus addresses: reply addresses, chat rooms. */
  private static final Pattern ONE_OFF_ADDRESS = Pattern.compile("^(vxnet\\.stats\\.reply\\.|vxnet\\.chat\\.who\\.|vxnet\\.chat\\.).+$");
  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  private MetricsSetup() {
  }

  /**
   * {@code builder} with Vert.x metrics as {@code settings} say; {@code options} (the builder's) get the matching
   * metrics options. Each Vert.x instance gets a registry of its own.
   */
  public static VertxBuilder install(VertxBuilder builder, VertxOptions options, MetricsSettings settings) {
    if (!settings.enabled()) {
      return builder;
    }
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setRegistryName("vxnet-" + REGISTRIES.incrementAndGet())
      .setJvmMetricsEnabled(settings.jvm())
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
      // No HTTP method label: each label is a tag built, hashed and compared on every request's meters, and with it
      // metrics cost 2-6 % of the HTTPS tiny route instead of about 2 % (bench/metrics-cost.sh, docs/observability.md).
      .setLabels(EnumSet.of(Label.LOCAL, Label.HTTP_ROUTE, Label.HTTP_CODE, Label.EB_ADDRESS,
        Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.CLIENT_NAME));
    // The backend is registered under the registry's name before Vert.x starts: whichever factory Vert.x then uses
    // (the legacy launcher always sets the one it finds on the class path) gets this registry with vxnet's filters.
    BackendRegistries.setupBackend(metrics, registry());
    options.setMetricsOptions(metrics);
    return builder.with(options).withMetrics(new MicrometerMetricsFactory());
  }

  /** The Prometheus registry with vxnet's filters, in the order Micrometer applies them. */
  static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
      // Status classes, not codes: 5 series per route instead of one per code a client can ask /api/echo for.
      .meterFilter(MeterFilter.replaceTagValues("code", code -> code.isEmpty() ? code : code.charAt(0) + "xx"))
      .meterFilter(MeterFilter.renameTag("vertx.http", "code", "status_class"))
      .meterFilter(new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          String local = id.getTag("local");
          return local == null ? id : id.withTag(Tag.of("service", Listening.serviceAt(local)));
        }
      })
      .meterFilter(MeterFilter.replaceTagValues("address", address -> ONE_OFF_ADDRESS.matcher(address).replaceFirst("$1*")))
      .meterFilter(MeterFilter.maximumAllowableTags("vertx.eventbus", "address", MAX_ADDRESSES, MeterFilter.deny()))
      // Abbreviated units and a "_count" gauge, which Prometheus' conventions (promtool check metrics) refuse.
      .meterFilter(MeterFilter.denyNameStartsWith("jvm.compilation.time"))
      .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
      .meterFilter(new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
        }
      })
      .meterFilter(new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
          if (!id.getName().endsWith(".time") && !id.getName().startsWith("vxnet.")) {
            return config;
          }
          return DistributionStatisticConfig.builder()
            .serviceLevelObjectives(java.util.Arrays.stream(LATENCY_BUCKETS).mapToDouble(Duration::toNanos).toArray())
            .build().merge(config);
        }
      });
    return registry;
  }
}
