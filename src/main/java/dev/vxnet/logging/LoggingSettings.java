package dev.vxnet.logging;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

import java.util.List;
import java.util.Map;

/**
 * The {@code logging} section: how the node's log looks (docs/observability.md).
 *
 * @param format        {@code text} (one readable line per record) or {@code json} (one JSON object per line)
 * @param levels        logger name (a package or class) to level, applied over the defaults of ConsoleLogging
 * @param accessLog     whether the HTTP and HTTPS servers log one line per request
 * @param accessLogSkip request paths (exact) that are never logged, such as probes and scrapes
 */
public record LoggingSettings(String format, Map<String, String> levels, boolean accessLog, List<String> accessLogSkip) {

  /** Logback's levels, as {@code logging.levels} accepts them. */
  static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"};

  public static final Section<LoggingSettings> SECTION = Section.of("logging", "The node's log: format, levels, access log.",
    values -> {
      List<String> skip = values.list("access_log_skip");
      skip.stream().filter(path -> !path.startsWith("/")).findFirst()
        .ifPresent(path -> values.problem("access_log_skip", "expected paths starting with /, got \"" + path + "\""));
      return new LoggingSettings(values.text("format"), values.map("levels"), values.flag("access_log"), skip);
    },
    Key.choice("format", "text", "`text`: a readable line per record; `json`: one JSON object per line "
      + "(logstash-logback-encoder fields: `@timestamp`, `level`, `logger_name`, `message`, ...).", "text", "json"),
    Key.map("levels", "[A-Za-z0-9_.$-]{1,200}",
      "Level per logger (package or class), e.g. `{\"io.netty\": \"DEBUG\", \"dev.vxnet.dns\": \"DEBUG\"}`; "
        + "`ROOT` is every logger. Over the defaults: vxnet and Vert.x at INFO, Hazelcast at WARN.", LEVELS),
    Key.flag("access_log", true, "One line per HTTP and HTTPS request (logger `vxnet.access`): combined format plus "
      + "the request time in seconds, or JSON fields with `format` json."),
    Key.list("access_log_skip", List.of("/health", "/ready", "/metrics"),
      "Request paths the access log leaves out (exact match): probes and scrapes."));
}
