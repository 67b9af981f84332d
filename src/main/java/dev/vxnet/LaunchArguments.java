package dev.vxnet;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's command line as vxnet reads it before the legacy launcher does: option values in every form the
 * launcher accepts ({@code -conf X}, {@code --conf X}, {@code -conf=X}, {@code --conf=X}), and checks the legacy
 * launcher only warns about: a {@code -conf} or {@code -options} value that is neither a readable JSON file nor
 * inline JSON would silently become {}.
 */
final class LaunchArguments {

  private static final List<String> JSON_OPTIONS = List.of("conf", "options");
  /** Commands that start Vert.x; the others (version, list, stop, start) only talk to processes. */
  private static final List<String> VERTX_COMMANDS = List.of("run", "bare");
  /** vxnet's commands ({@code load} is dispatched before these checks), then the legacy launcher's others, unchanged. */
  static final List<String> COMMANDS = List.of("run", "load", "version", "help", "bare", "start", "stop", "list");
  private static final List<String> HELP = List.of("help", "--help", "-help", "-h");
  /**
   * The legacy launcher's {@code run} options that take a value, long and short names (vertx-launcher-legacy-cli 5.0.7:
   * {@code RunCommand}, {@code ClasspathHandler}, {@code DefaultCommand}); {@code -Dkey=value} carries its own.
   */
  private static final List<String> RUN_VALUE_OPTIONS = List.of("conf", "options", "instances", "cp", "classpath",
    "cluster-host", "cluster-port", "cluster-public-host", "cluster-public-port", "hagroup", "quorum", "redeploy",
    "on-redeploy", "onRedeploy", "redeploy-scan-period", "redeploy-grace-period", "redeploy-termination-period",
    "launcher-class", "cwd");

  private LaunchArguments() {
  }

  static Optional<String> problem(List<String> args) {
    String command = command(args);
    if (!COMMANDS.contains(command)) {
      return Optional.of("unknown command \"" + command + "\" (commands: " + String.join(", ", COMMANDS)
        + "; options alone run the node); java -jar vxnet.jar help says more");
    }
    for (String option : JSON_OPTIONS) {
      String last = args.isEmpty() ? "" : args.get(args.size() - 1);
      if (last.equals("-" + option) || last.equals("--" + option)) {
        return Optional.of(last + ": expected a JSON file or inline JSON after it");
      }
      Optional<String> problem = value(args, option).flatMap(LaunchArguments::jsonProblem);
      if (problem.isPresent()) {
        return Optional.of("-" + option + " " + problem.get());
      }
    }
    return Optional.empty();
  }

  /** The value of {@code -option}, in any of the launcher's forms. */
  static Optional<String> value(List<String> args, String option) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-" + option) || arg.equals("--" + option)) && i + 1 < args.size()) {
        return Optional.of(args.get(i + 1));
      }
      if (arg.startsWith("-" + option + "=") || arg.startsWith("--" + option + "=")) {
        return Optional.of(arg.substring(arg.indexOf('=') + 1));
      }
    }
    return Optional.empty();
  }

  static boolean flag(List<String> args, String option) {
    return args.contains("-" + option) || args.contains("--" + option);
  }

  /** The {@code -conf} JSON (inline or a file); call after {@link #problem} found none. */
  static JsonObject conf(List<String> args) {
    return value(args, "conf").map(LaunchArguments::readJson).orElseGet(JsonObject::new);
  }

  /** {@code run} (also when only options are given), {@code bare}, another command, or none at all. */
  static String command(List<String> args) {
    return args.isEmpty() || args.get(0).startsWith("-") ? "run" : args.get(0);
  }

  /** {@code help}, or {@code --help}/{@code -h} anywhere ({@code run --help}): vxnet's help, not the legacy text. */
  static boolean wantsHelp(List<String> args) {
    return args.stream().anyMatch(HELP::contains);
  }

  /** {@code version}, {@code --version} or {@code -version}. */
  static boolean wantsVersion(List<String> args) {
    return command(args).equals("version") || (!args.isEmpty() && List.of("--version", "-version").contains(args.get(0)));
  }

  static boolean startsVertx(List<String> args) {
    return VERTX_COMMANDS.contains(command(args));
  }

  /**
   * True when the command runs MainVerticle: no command, options only, {@code run} naming no verticle, or
   * {@code run dev.vxnet.MainVerticle}.
   */
  static boolean runsMainVerticle(List<String> args, String mainVerticle) {
    if (args.isEmpty() || args.get(0).startsWith("-")) {
      return true;
    }
    return args.get(0).equals("run") && namedVerticle(args).map(mainVerticle::equals).orElse(true);
  }

  /**
   * The verticle a {@code run} names: its first argument that is neither an option nor an option's value (the legacy
   * launcher takes options before the verticle too: {@code run -conf c.json x.groovy}).
   */
  private static Optional<String> namedVerticle(List<String> args) {
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-")) {
        return Optional.of(arg);
      }
      if (!arg.contains("=") && RUN_VALUE_OPTIONS.contains(arg.replaceFirst("^--?", ""))) {
        i++; // its value
      }
    }
    return Optional.empty();
  }

  /**
   * {@code args} with {@code mainVerticle} after a {@code run} that names no verticle ({@code run}, {@code run -conf X}):
   * it runs the node, as {@link #runsMainVerticle} says and as options alone do; the legacy launcher would stop at a
   * missing main verticle. Other command lines come back unchanged.
   */
  static List<String> withMainVerticle(List<String> args, String mainVerticle) {
    if (args.isEmpty() || !args.get(0).equals("run") || namedVerticle(args).isPresent()) {
      return args;
    }
    List<String> named = new ArrayList<>(args);
    named.add(1, mainVerticle);
    return named;
  }

  private static Optional<String> jsonProblem(String value) {
    try {
      readJson(value);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static JsonObject readJson(String value) {
    String text = value;
    String origin = "inline JSON";
    if (!value.trim().startsWith("{")) {
      origin = "file " + value;
      try {
        text = Files.readString(Path.of(value));
      } catch (IOException e) {
        throw new IllegalArgumentException(value + ": not inline JSON and not a readable file (" + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(origin + ": not a JSON object: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }
}
