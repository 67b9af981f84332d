package dev.vxnet.load;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code vxnet load PROTOCOL [options]} ({@code java -jar vxnet.jar load ...}, {@code bin/vxnet-load ...}): a
 * measuring client for TCP echo, UDP echo, HTTP, DNS and chat servers, vxnet's or any other. Prints a table, or one
 * JSON object with {@code --json}. Exit status: 0; 1 when errors exceed {@code --max-errors}, nothing completed, or
 * the server could not be loaded at all; 2 for a bad command line (one line on standard error naming the option).
 */
public final class LoadCommand {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int BAD_OPTION = 2;

  private LoadCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs one load; returns the exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
      (args.isEmpty() ? err : out).print(Option.help(null));
      return args.isEmpty() ? BAD_OPTION : OK;
    }
    Protocol protocol = Protocol.of(args.get(0)).orElse(null);
    if (protocol == null) {
      err.println("vxnet load: '" + args.get(0) + "': expected a protocol: " + Protocol.words());
      return BAD_OPTION;
    }
    List<String> options = args.subList(1, args.size());
    if (options.contains("--help") || options.contains("-h")) {
      out.print(Option.help(protocol));
      return OK;
    }
    Settings settings;
    Load load;
    try {
      settings = Settings.parse(protocol, options);
      load = Load.of(settings);
    } catch (BadOption bad) {
      err.println("vxnet load " + protocol.word + ": " + bad.getMessage());
      return BAD_OPTION;
    }
    LoadRun.Outcome outcome;
    try {
      outcome = LoadRun.run(settings, load, Progress.onTerminal(err, load.unit()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("vxnet load " + protocol.word + ": interrupted");
      return FAILED;
    }
    Totals totals = outcome.totals();
    out.print(settings.json() ? Report.json(settings, load, totals).encode() + "\n" : Report.table(settings, load, totals));
    out.flush();
    if (outcome.fatal() != null) {
      err.println("vxnet load " + protocol.word + ": " + outcome.fatal());
      return FAILED;
    }
    if (totals.errors > settings.maxErrors()) {
      err.println("vxnet load " + protocol.word + ": " + totals.errors + " errors, more than --max-errors " + settings.maxErrors());
      return FAILED;
    }
    if (totals.operations == 0) {
      err.println("vxnet load " + protocol.word + ": no " + load.unit() + " completed in the measured time");
      return FAILED;
    }
    return OK;
  }
}
