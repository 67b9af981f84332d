package dev.vxnet.cluster;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One vxnet node as a separate JVM running {@code target/vxnet.jar}: its output is kept (and written to
 * {@code target/cluster-it/<name>.log}) so that a test can wait for a log line, such as the port a service bound.
 */
final class NodeProcess implements AutoCloseable {

  static final Path JAR = Path.of("target", "vxnet.jar");
  private static final Path LOGS = Path.of("target", "cluster-it");

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private volatile boolean readerDone;

  private NodeProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts {@code java -jar target/vxnet.jar args...} in the project directory, without the caller's VXNET_* variables. */
  static NodeProcess start(String name, List<String> args) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run `mvn verify` (package builds it before *IT tests)");
    }
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(variable -> variable.startsWith("VXNET_"));
    Files.createDirectories(LOGS);
    NodeProcess node = new NodeProcess(name, builder.start());
    Thread reader = new Thread(node::readOutput, "output of " + name);
    reader.setDaemon(true);
    reader.start();
    return node;
  }

  String name() {
    return name;
  }

  /** The first output line matching {@code pattern}, earlier lines included; fails at the deadline or if the node exits. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      int checked = 0;
      while (true) {
        for (; checked < lines.size(); checked++) {
          Matcher matcher = pattern.matcher(lines.get(checked));
          if (matcher.find()) {
            return matcher;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && checked == lines.size() && readerDone)) {
          throw new AssertionError(name + ": no line matching /" + pattern + "/ within " + timeout.toSeconds() + " s"
            + (process.isAlive() ? "" : " (the process exited with " + process.exitValue() + ")") + "; last lines:\n  "
            + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** The port a service reported with {@code "<service>: listening on host:port"}. */
  int port(String service, Duration timeout) throws InterruptedException {
    return Integer.parseInt(awaitLine(Pattern.compile(Pattern.quote(service) + ": listening on \\S+:(\\d+)"), timeout).group(1));
  }

  /** The exit status, once the process ended by itself within {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + timeout.toSeconds() + " s");
    }
    return process.exitValue();
  }

  /** SIGKILL, as when a machine or container dies: no goodbye to the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
  }

  /** SIGTERM (a graceful stop), then SIGKILL if the node is still there after 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      kill();
    }
  }

  private void readOutput() {
    try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         PrintWriter log = new PrintWriter(Files.newBufferedWriter(LOGS.resolve(name + ".log"), StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = output.readLine()) != null) {
        log.println(line);
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (lines) {
        lines.add("(output unreadable: " + e + ")");
      }
    } finally {
      readerDone = true;
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }
}
