package dev.vxnet;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks of the launcher's command line that the legacy launcher only warns about: a {@code -conf} or
 * {@code -options} value that is neither a readable JSON file nor inline JSON would silently become {}.
 */
final class LaunchArguments {

  private static final List<String> JSON_OPTIONS = List.of("conf", "options");

  private LaunchArguments() {
  }

  static Optional<String> problem(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      for (String option : JSON_OPTIONS) {
        String value = null;
        if (arg.equals("-" + option) || arg.equals("--" + option)) {
          if (i + 1 >= args.size()) {
            return Optional.of(arg + ": expected a JSON file or inline JSON after it");
          }
          value = args.get(i + 1);
        } else if (arg.startsWith("-" + option + "=") || arg.startsWith("--" + option + "=")) {
          value = arg.substring(arg.indexOf('=') + 1);
        }
        if (value != null) {
          Optional<String> problem = jsonProblem(value);
          if (problem.isPresent()) {
            return Optional.of("-" + option + " " + problem.get());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> jsonProblem(String value) {
    String text = value;
    String origin = "inline JSON";
    if (!value.trim().startsWith("{")) {
      Path file = Path.of(value);
      origin = "file " + value;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        return Optional.of(value + ": not inline JSON and not a readable file (" + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      new JsonObject(text);
      return Optional.empty();
    } catch (DecodeException e) {
      return Optional.of(origin + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** True when the command runs MainVerticle: no command, options only, or {@code run dev.vxnet.MainVerticle}. */
  static boolean runsMainVerticle(List<String> args, String mainVerticle) {
    if (args.isEmpty() || args.get(0).startsWith("-")) {
      return true;
    }
    return args.get(0).equals("run") && (args.size() == 1 || args.get(1).startsWith("-") || args.get(1).equals(mainVerticle));
  }
}
