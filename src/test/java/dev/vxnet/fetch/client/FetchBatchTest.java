package dev.vxnet.fetch.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vxnet.fetch.batch: bounded concurrency seen from the origin, connection reuse, order, per-request errors. */
@Timeout(90)
class FetchBatchTest extends PlainOriginTestBase {

  private List<JsonObject> slowRequests(int count) {
    List<JsonObject> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(new JsonObject().put("url", base + "/slow?ms=5&i=" + i));
    }
    return requests;
  }

  @Test
  void twoHundredUrlsWithConcurrencyTenNeverHaveMoreThanTenInFlightAndReuseConnections() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("max_connections_per_origin", 16)));
    JsonObject reply = fixture.batch(new JsonObject().put("requests", slowRequests(200)).put("concurrency", 10));
    JsonArray results = reply.getJsonArray("results");
    assertEquals(200, results.size());
    int reused = 0;
    for (int i = 0; i < 200; i++) {
      JsonObject result = results.getJsonObject(i);
      assertEquals("slow " + i, result.getString("body"), "result " + i + " in request order: " + result.encode());
      reused += result.getBoolean("reused") ? 1 : 0;
    }
    JsonObject totals = reply.getJsonObject("totals");
    assertEquals(200, totals.getInteger("ok"));
    assertEquals(0, totals.getInteger("failed"));
    assertEquals(200, origin.requests.get());
    assertTrue(origin.maxInFlight.get() <= 10, "the origin saw " + origin.maxInFlight.get() + " requests in flight at once");
    assertTrue(origin.maxInFlight.get() >= 2, "the batch ran concurrently: " + origin.maxInFlight.get());
    assertTrue(origin.connections.get() <= 16, "pool of 16, the origin saw " + origin.connections.get() + " connections");
    // Tighter: a request starts only after the one it replaces has handed its connection back to the pool.
    assertTrue(origin.connections.get() <= 10, "10 at a time never need more than 10 connections: " + origin.connections.get());
    assertEquals(200 - origin.connections.get(), reused, "every request but the first on each connection reused it");
  }

  @Test
  void thePoolBoundsTheConnectionsTheOriginSees() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("max_connections_per_origin", 4)));
    JsonObject reply = fixture.batch(new JsonObject().put("requests", slowRequests(200)).put("concurrency", 10));
    assertEquals(200, reply.getJsonObject("totals").getInteger("ok"), reply.getJsonObject("totals").encode());
    assertTrue(origin.connections.get() <= 4, "pool of 4, the origin saw " + origin.connections.get() + " connections");
    assertTrue(origin.maxInFlight.get() <= 4, "in flight at the origin: " + origin.maxInFlight.get());
  }

  @Test
  void eachResultIsAResponseOrAnErrorInRequestOrder() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    JsonArray requests = new JsonArray()
      .add(new JsonObject().put("url", base + "/hello"))
      .add(new JsonObject().put("url", "http://127.0.0.2:" + origin.port() + "/hello"))
      .add(new JsonObject().put("url", "nope"))
      .add(new JsonObject().put("url", base + "/hang").put("timeout_ms", 200))
      .add(new JsonObject().put("url", base + "/bytes?n=10").put("max_bytes", 5))
      .add(new JsonObject().put("url", base + "/slow?ms=1&i=x"));
    JsonObject reply = fixture.batch(new JsonObject().put("requests", requests).put("concurrency", 3));
    JsonArray results = reply.getJsonArray("results");
    assertEquals(List.of("ok", "DENIED", "BAD_REQUEST", "TIMEOUT", "TOO_LARGE", "ok"),
      results.stream().map(r -> code((JsonObject) r)).toList());
    assertEquals("requests[2].url: must be an absolute http:// or https:// URL, got \"nope\"",
      results.getJsonObject(2).getJsonObject("error").getString("message"));
    assertEquals("slow x", results.getJsonObject(5).getString("body"));
    assertEquals(new JsonObject().put("requests", 6).put("ok", 2).put("failed", 4).put("concurrency", 3),
      only(reply.getJsonObject("totals"), "requests", "ok", "failed", "concurrency"));
  }

  @Test
  void theBatchDeadlineEndsEveryUnfinishedRequest() {
    fixture.deploy(FetchFixture.config(new JsonObject()));
    JsonArray requests = new JsonArray();
    for (int i = 0; i < 3; i++) {
      requests.add(new JsonObject().put("url", base + "/hang"));
    }
    long started = System.nanoTime();
    JsonObject reply = fixture.batch(new JsonObject().put("requests", requests).put("concurrency", 1).put("deadline_ms", 300));
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    JsonArray results = reply.getJsonArray("results");
    assertEquals(List.of("TIMEOUT", "TIMEOUT", "TIMEOUT"), results.stream().map(r -> code((JsonObject) r)).toList());
    assertTrue(results.getJsonObject(0).getJsonObject("error").getString("message")
      .endsWith("within the batch's deadline_ms (300 ms)"), results.encode());
    assertEquals("requests[1].not started: the batch's deadline_ms (300 ms) had passed",
      results.getJsonObject(1).getJsonObject("error").getString("message"));
    assertTrue(elapsedMs < 3_000, "the batch answered after " + elapsedMs + " ms");
    assertEquals(1, origin.requests.get(), "requests queued behind the deadline were never sent");
  }

  @Test
  void aMalformedBatchIsABadRequestNamingTheField() {
    fixture.deploy(FetchFixture.config(new JsonObject().put("batch_max", 3).put("batch_concurrency", 2)
      .put("batch_concurrency_max", 8)));
    JsonObject one = new JsonObject().put("url", base + "/hello");
    List<Object[]> cases = List.of(
      new Object[] {new JsonObject(), "requests: required: a non-empty list of request objects ({\"url\": ...})"},
      new Object[] {new JsonObject().put("requests", new JsonArray()), "requests: required: a non-empty list of request objects ({\"url\": ...})"},
      new Object[] {new JsonObject().put("requests", new JsonArray(List.of(one, one, one, one))),
        "requests: 4 requests, at most 3 (fetch.batch_max) per batch"},
      new Object[] {new JsonObject().put("requests", new JsonArray().add(one).add("http://x")),
        "requests[1]: expected a request object ({\"url\": ...})"},
      new Object[] {new JsonObject().put("requests", new JsonArray().add(one)).put("concurrency", 9),
        "concurrency: expected an integer from 1 to 8, got 9"},
      new Object[] {new JsonObject().put("requests", new JsonArray().add(one)).put("concurrency", "2"),
        "concurrency: expected an integer from 1 to 8, got \"2\""},
      new Object[] {new JsonObject().put("requests", new JsonArray().add(one)).put("parallel", 2),
        "parallel: unknown field (known: requests, concurrency, deadline_ms, reply_within_ms)"});
    for (Object[] c : cases) {
      JsonObject reply = fixture.batch((JsonObject) c[0]);
      assertEquals("BAD_REQUEST", code(reply), reply.encode());
      assertEquals(c[1], message(reply));
    }
    assertEquals(0, origin.requests.get());
  }
}
