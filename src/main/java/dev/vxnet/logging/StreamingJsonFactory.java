package dev.vxnet.logging;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Keeps Vert.x's JSON on its streaming Jackson codec. logstash-logback-encoder (the JSON log format) brings
 * jackson-databind, and with it on the class path Vert.x would switch to its databind codec: the same JSON, but an
 * ObjectMapper built on the first JSON use, which blocked an event loop for seconds on a loaded machine and adds to
 * every start. Registered in {@code META-INF/services/io.vertx.core.spi.JsonFactory}.
 */
public final class StreamingJsonFactory implements JsonFactory {

  private static final JacksonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
