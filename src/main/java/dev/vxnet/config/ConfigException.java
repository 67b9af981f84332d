package dev.vxnet.config;

import java.util.List;

/** The configuration is not usable; each problem is one line that names the key. */
public final class ConfigException extends StartupException {

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
