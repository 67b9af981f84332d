package dev.vxnet.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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

/** {@code java -jar target/vxnet.jar ...} as a separate process, its output collected line by line. */
public final class VxnetProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "vxnet.jar");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread pump;

  private VxnetProcess(Process process) {
    this.process = process;
    this.pump = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (Exception ignored) {
        // the process ended
      }
    }, "vxnet-output");
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts the jar with JVM options (e.g. -D...), launcher arguments and extra environment variables. */
  public static VxnetProcess start(List<String> jvmOptions, List<String> args, Map<String, String> env) throws Exception {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: *IT tests run after `mvn package`");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(args);
    return launch(command, env);
  }

  public static VxnetProcess launch(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("VXNET_"));
    builder.environment().putAll(env);
    return new VxnetProcess(builder.start());
  }

  /** Waits for an output line matching {@code regex} and returns its match. */
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
        if (left <= 0 || (!process.isAlive() && checked == lines.size())) {
          throw new AssertionError("no line matching /" + regex + "/ (process " + (process.isAlive() ? "running" : "exited")
            + "); output:\n" + String.join("\n", lines));
        }
        lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
      }
    }
  }

  /** The port a service logged as bound ({@code tcp: listening on 127.0.0.1:PORT}). */
  public int port(String service, Duration timeout) throws InterruptedException {
    return Integer.parseInt(awaitLine("\\] " + Pattern.quote(service) + ": listening on [^ ]+:(\\d+)$", timeout).group(1));
  }

  /** Waits for the process to exit and for all its output, and returns its status. */
  public int exitCode(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running after " + timeout.toMillis() + " ms; output:\n" + output());
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

  @Override
  public void close() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
