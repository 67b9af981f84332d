package dev.vxnet.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process such as {@code java -jar target/vxnet.jar ...}, its output kept line by line (and written to
 * {@code target/it-logs/<name>.log}) so that a test can wait for a log line, such as the port a service bound.
 */
public final class VxnetProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "vxnet.jar");
  /** Options of small, quick-starting JVMs: several run at once on a 2-core machine (clustered tests). */
  public static final List<String> SMALL_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  private static final Path LOGS = Path.of("target", "it-logs");

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;

  private VxnetProcess(String name, Process process) throws IOException {
    this.name = name;
    this.process = process;
    Files.createDirectories(LOGS);
    PrintWriter log = new PrintWriter(Files.newBufferedWriter(LOGS.resolve(name + ".log"), StandardCharsets.UTF_8), true);
    this.pump = new Thread(() -> {
      try (log; BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          log.println(line);
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      } finally {
        synchronized (lines) {
          lines.notifyAll();
        }
      }
    }, "output of " + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts the jar with JVM options (e.g. -D...), launcher arguments and extra environment variables. */
  public static VxnetProcess start(String name, List<String> jvmOptions, List<String> args, Map<String, String> env) throws IOException {
    return launch(name, javaJar(jvmOptions, args), env);
  }

  /** {@code java [jvmOptions] -jar target/vxnet.jar [args]}, with the JVM running the tests. */
  private static List<String> javaJar(List<String> jvmOptions, List<String> args) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: *IT tests run after `mvn package` (mvn verify)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    return command;
  }

  /** Any command, in the project directory, without the caller's VXNET_* variables but with {@code env}. */
  public static VxnetProcess launch(String name, List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(variable -> variable.startsWith("VXNET_"));
    builder.environment().putAll(env);
    return new VxnetProcess(name, builder.start());
  }

  /** The first output line matching {@code regex}, earlier lines included; fails at the deadline or when the output ends. */
  public Matcher awaitLine(String regex, Duration timeout) throws InterruptedException {
    Pattern pattern = Pattern.compile(regex);
    long deadline = System.nanoTime() + timeout.toNanos();
    int checked = 0;
    synchronized (lines) {
      while (true) {
        for (; checked < lines.size(); checked++) {
          Matcher matcher = pattern.matcher(lines.get(checked));
          if (matcher.find()) {
            return matcher;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!pump.isAlive() && checked == lines.size())) {
          throw new AssertionError(name + ": no line matching /" + regex + "/ within " + timeout.toSeconds() + " s"
            + (process.isAlive() ? "" : " (the process exited with " + process.exitValue() + ")") + "; output:\n  "
            + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
      }
    }
  }

  /** The port a service logged as bound ({@code tcp: listening on 127.0.0.1:PORT}). */
  public int port(String service, Duration timeout) throws InterruptedException {
    return Integer.parseInt(awaitLine("\\] " + Pattern.quote(service) + ": listening on \\S+:(\\d+)$", timeout).group(1));
  }

  /** Waits for the process to exit and for all its output, and returns its status. */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + timeout.toSeconds() + " s; output:\n" + output());
    }
    pump.join(timeout.toMillis());
    return process.exitValue();
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /**
   * SIGTERM, as `kill` or a container runtime would send it. Through the handle: {@code Process.destroy()}
   * would also close our end of the output pipe and lose the shutdown log.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /**
   * Sends a signal by name ({@code INT} is Ctrl-C in a terminal). A process started with a signal ignored keeps it
   * ignored (as every background job of a shell script starts with SIGINT): {@link #launchWithDefaultSignals} does not.
   */
  public void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -s " + name + " " + process.pid() + " failed");
    }
  }

  /**
   * {@link #start} with SIGINT at its default disposition, as in a terminal, even when this JVM was started with it
   * ignored (Maven as a background job of a script): its children would inherit that, and Java cannot undo it.
   */
  public static VxnetProcess launchWithDefaultSignals(String name, List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("python3", "-c",
      "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
    command.addAll(javaJar(jvmOptions, args));
    return launch(name, command, Map.of());
  }

  /** SIGKILL, as when a machine or container dies: no goodbye to anyone. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL if the process is still there after 20 s. */
  @Override
  public void close() throws InterruptedException {
    terminate();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }
}
