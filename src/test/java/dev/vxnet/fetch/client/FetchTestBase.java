package dev.vxnet.fetch.client;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** One {@link FetchFixture} per test class; each test's fetchers and origins are gone before the next test. */
public abstract class FetchTestBase {

  protected static FetchFixture fixture;

  @BeforeAll
  protected static void startFixture() {
    fixture = FetchFixture.start();
  }

  @AfterEach
  protected void resetFixture() {
    fixture.reset();
  }

  @AfterAll
  protected static void stopFixture() {
    fixture.close();
  }

  /** The error code of a reply, or a text that names the reply when it is not an error. */
  protected static String code(JsonObject reply) {
    JsonObject error = reply.getJsonObject("error");
    return error == null ? "ok" : error.getString("code");
  }

  /** The named fields of {@code json} only, to compare a few fields at once. */
  protected static JsonObject only(JsonObject json, String... fields) {
    JsonObject subset = new JsonObject();
    for (String field : fields) {
      subset.put(field, json.getValue(field));
    }
    return subset;
  }

  protected static String message(JsonObject reply) {
    return reply.getJsonObject("error").getString("message");
  }
}
