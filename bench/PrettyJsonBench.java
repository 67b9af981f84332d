import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vxnet.web.Responses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * How long one pretty JSON answer takes to encode, per way of encoding it, in one JVM:
 * {@code java -cp target/vxnet.jar bench/PrettyJsonBench.java [SECONDS_PER_ROUND] [ROUNDS]} (defaults 2 and 5).
 *
 * <p>The document has the shape of an {@code /api/echo} description of a wrk request (588 bytes of pretty JSON). The
 * ways, all giving the same bytes: {@code prettyJson} ({@link Responses#prettyJson}, what the server does:
 * {@code encodePrettily()}'s String and a line feed, in UTF-8), {@code writer} (Jackson's generator through the JDK's
 * {@code OutputStreamWriter} straight into the buffer sent) and {@code stringwriter} (the generator into a
 * {@code java.io.StringWriter}, then its bytes). Each round runs every way for SECONDS_PER_ROUND, after one round of
 * warm-up that is not printed; prints ns per answer for each way and round, then the median per way. CPU-bound, one
 * thread, no network.
 */
public class PrettyJsonBench {

  private static final JsonFactory JSON = new JsonFactory();

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    JsonObject doc = echoDescription();
    String[] names = {"prettyJson", "writer", "stringwriter"};
    @SuppressWarnings("unchecked")
    Function<JsonObject, Buffer>[] ways = new Function[] {
      (Function<JsonObject, Buffer>) Responses::prettyJson,
      (Function<JsonObject, Buffer>) PrettyJsonBench::throughOutputStreamWriter,
      (Function<JsonObject, Buffer>) PrettyJsonBench::throughStringWriter
    };
    Buffer reference = ways[0].apply(doc);
    int expected = reference.length();
    for (Function<JsonObject, Buffer> way : ways) {
      if (!way.apply(doc).equals(reference)) {
        throw new IllegalStateException("the ways do not encode the same bytes");
      }
    }
    double[][] ns = new double[ways.length][rounds];
    for (int r = -1; r < rounds; r++) {
      for (int w = 0; w < ways.length; w++) {
        double perAnswer = run(ways[w], doc, seconds);
        if (r >= 0) {
          ns[w][r] = perAnswer;
          System.out.printf("round %d %-10s %7.0f ns per answer%n", r + 1, names[w], perAnswer);
        }
      }
    }
    for (int w = 0; w < ways.length; w++) {
      double[] sorted = ns[w].clone();
      java.util.Arrays.sort(sorted);
      System.out.printf("median %-10s %7.0f ns per answer (%d bytes)%n", names[w], sorted[rounds / 2], expected);
    }
  }

  private static double run(Function<JsonObject, Buffer> way, JsonObject doc, double seconds) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long count = 0;
    long bytes = 0;
    long start = System.nanoTime();
    long now;
    do {
      for (int i = 0; i < 1_000; i++) {
        bytes += way.apply(doc).length(); // used, so that the work is not dropped as dead code
      }
      count += 1_000;
      now = System.nanoTime();
    } while (now < deadline);
    if (bytes == 0) {
      throw new IllegalStateException("nothing encoded");
    }
    return (now - start) / (double) count;
  }

  private static Buffer throughOutputStreamWriter(JsonObject json) {
    ByteBuf bytes = Unpooled.buffer(1024);
    try (JsonGenerator generator = JSON.createGenerator(
      new OutputStreamWriter(new ByteBufOutputStream(bytes), StandardCharsets.UTF_8))) {
      generator.useDefaultPrettyPrinter();
      JacksonCodec.encodeJson(json, generator);
      generator.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return io.vertx.core.internal.buffer.BufferInternal.buffer(bytes);
  }

  private static Buffer throughStringWriter(JsonObject json) {
    java.io.StringWriter text = new java.io.StringWriter(1024);
    try (JsonGenerator generator = JSON.createGenerator(text)) {
      generator.useDefaultPrettyPrinter();
      JacksonCodec.encodeJson(json, generator);
      generator.writeRaw('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** What /api/echo answers to wrk's GET over TLS: the shape of EchoHandler.describe. */
  private static JsonObject echoDescription() {
    return new JsonObject()
      .put("method", "GET")
      .put("path", "/api/echo")
      .put("query", (Object) null)
      .put("query_params", new JsonObject())
      .put("http_version", "HTTP/1.1")
      .put("headers", new JsonObject().put("host", new JsonArray().add("127.0.0.1:19153")))
      .put("body", new JsonObject().put("bytes", 0).put("encoding", "utf-8").put("text", ""))
      .put("client", new JsonObject().put("address", "127.0.0.1").put("port", 43512))
      .put("tls", new JsonObject().put("protocol", "TLSv1.3").put("cipher", "TLS_AES_128_GCM_SHA256")
        .put("sni", (Object) null).put("client_certificate", (Object) null))
      .put("served_by", new JsonObject().put("node", "vx2").put("instance", "https-1"))
      .put("response", new JsonObject().put("status", 200).put("delay_ms", 0));
  }
}
