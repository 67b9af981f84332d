package dev.vxnet.load;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code vxnet load} in this JVM, as the command line would, and keeps what it printed. */
final class Loads {

  /** Exit status, standard output, standard error, and the output parsed when it is one JSON object. */
  record Run(int status, String out, String err) {

    JsonObject json() {
      return new JsonObject(out.strip());
    }

    long count(String field) {
      return json().getLong(field);
    }

    long errorKind(String kind) {
      return json().getJsonObject("error_kinds").getLong(kind, 0L);
    }

    @Override
    public String toString() {
      return "exit " + status + "\nout: " + out + "\nerr: " + err;
    }
  }

  private Loads() {
  }

  static Run run(Object... args) {
    List<String> words = new ArrayList<>();
    for (Object arg : args) {
      words.add(String.valueOf(arg));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = LoadCommand.run(words, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
