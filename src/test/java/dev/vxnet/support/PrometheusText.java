package dev.vxnet.support;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Prometheus text format 0.0.4 as a test needs it: samples by name and labels, and the metric families. */
public final class PrometheusText {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  public PrometheusText(String text) {
    this.text = text;
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels}; {@code NaN} when there is none. */
  public double sum(String name, Map<String, String> labels) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches() || !sample.group(1).equals(name)) {
        continue;
      }
      Map<String, String> have = new java.util.HashMap<>();
      Matcher label = LABEL.matcher(sample.group(3) == null ? "" : sample.group(3));
      while (label.find()) {
        have.put(label.group(1), label.group(2));
      }
      if (have.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(sample.group(4));
        found = true;
      }
    }
    return found ? sum : Double.NaN;
  }

  /** The name of every metric family ({@code # TYPE} lines). */
  public Set<String> families() {
    Set<String> families = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        families.add(line.split(" ")[2]);
      }
    }
    return families;
  }

  @Override
  public String toString() {
    return text;
  }
}
