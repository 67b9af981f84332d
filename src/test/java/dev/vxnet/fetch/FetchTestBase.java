package dev.vxnet.fetch;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** One {@link FetchFixture} per test class; each test's fetchers and origins are gone before the next test. */
abstract class FetchTestBase {

  static FetchFixture fixture;

  @BeforeAll
  static void startFixture() {
    fixture = FetchFixture.start();
  }

  @AfterEach
  void resetFixture() {
    fixture.reset();
  }

  @AfterAll
  static void stopFixture() {
    fixture.close();
  }

  /** The error code of a reply, or a text that names the reply when it is not an error. */
  static String code(JsonObject reply) {
    JsonObject error = reply.getJsonObject("error");
    return error == null ? "ok" : error.getString("code");
  }

  /** The named fields of {@code json} only, to compare a few fields at once. */
  static JsonObject only(JsonObject json, String... fields) {
    JsonObject subset = new JsonObject();
    for (String field : fields) {
      subset.put(field, json.getValue(field));
    }
    return subset;
  }

  static String message(JsonObject reply) {
    return reply.getJsonObject("error").getString("message");
  }
}
