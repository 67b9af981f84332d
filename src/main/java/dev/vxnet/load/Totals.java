package dev.vxnet.load;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The counters of every worker summed, with the merged latency histogram (nanoseconds) and the measured time. */
final class Totals {

  final long operations;
  final long sent;
  final long errors;
  final long bytes;
  final long[] errorKinds = new long[ErrorKind.values().length];
  final String[] firstErrors = new String[ErrorKind.values().length];
  final Map<String, Long> tallies = new TreeMap<>();
  final Histogram latency;
  /** Seconds from the end of the warm-up to the last measured answer, or to the end of --duration. */
  final double elapsedS;

  Totals(List<Worker> workers, Histogram latency) {
    long operations = 0;
    long sent = 0;
    long errors = 0;
    long bytes = 0;
    long lastSuccess = 0;
    boolean anySuccess = false;
    for (Worker worker : workers) {
      operations += worker.operations;
      sent += worker.sent;
      errors += worker.errors;
      bytes += worker.bytes;
      for (int i = 0; i < errorKinds.length; i++) {
        errorKinds[i] += worker.errorKinds[i];
        if (firstErrors[i] == null) {
          firstErrors[i] = worker.firstErrors[i];
        }
      }
      worker.tallies.forEach((key, count) -> tallies.merge(key, count, Long::sum));
      if (worker.operations > 0 && (!anySuccess || worker.lastSuccess - lastSuccess > 0)) {
        lastSuccess = worker.lastSuccess;
        anySuccess = true;
      }
    }
    this.operations = operations;
    this.sent = sent;
    this.errors = errors;
    this.bytes = bytes;
    this.latency = latency;
    Worker any = workers.get(0);
    long end = anySuccess ? (any.measureEnd() - lastSuccess < 0 ? any.measureEnd() : lastSuccess) : any.measureStart();
    this.elapsedS = Math.max(0, end - any.measureStart()) / 1e9;
  }

  /** {@code count} per second of measured time, to one decimal. */
  double perSecond(long count) {
    return elapsedS > 0 ? Math.round(10 * count / elapsedS) / 10.0 : 0;
  }

  /** Bytes per second of measured time, whole. */
  long bytesPerSecond() {
    return elapsedS > 0 ? Math.round(bytes / elapsedS) : 0;
  }

  long tally(String key) {
    return tallies.getOrDefault(key, 0L);
  }

  long errorKind(ErrorKind kind) {
    return errorKinds[kind.ordinal()];
  }

  /** The latency at {@code percentile} (0 to 100), in microseconds with one decimal. */
  double latencyUs(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : Math.round(latency.getValueAtPercentile(percentile) / 100.0) / 10.0;
  }

  double maxLatencyUs() {
    return latency.getTotalCount() == 0 ? 0 : Math.round(latency.getMaxValue() / 100.0) / 10.0;
  }
}
