package dev.vxnet.dns.resolver;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ErrorReply;
import dev.vxnet.dns.upstream.UpstreamFailure;
import dev.vxnet.dns.wire.InvalidRequest;
import dev.vxnet.dns.wire.QueryType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers one {@code vxnet.dns.resolve} request: a question, or a batch {@code {"queries": [...]}} resolved
 * concurrently and answered in request order, each result a reply or an error. Never fails: every problem is an
 * {@link ErrorReply}; invalid input is refused before anything goes on the network.
 */
final class ResolveService {

  private final Resolver resolver;
  private final int batchMax;
  private final LongAdder badRequests;
  private final LongAdder busy;

  ResolveService(Resolver resolver, int batchMax, LongAdder badRequests, LongAdder busy) {
    this.resolver = resolver;
    this.batchMax = batchMax;
    this.badRequests = badRequests;
    this.busy = busy;
  }

  Future<JsonObject> handle(Object body) {
    if (body instanceof JsonObject request && request.containsKey("queries")) {
      return batch(request);
    }
    return one(body, "");
  }

  private Future<JsonObject> batch(JsonObject request) {
    for (String field : request.fieldNames()) {
      if (!field.equals("queries")) {
        return Future.succeededFuture(refuse(new InvalidRequest(field, "unknown field in a batch (a batch has only \"queries\")")));
      }
    }
    if (!(request.getValue("queries") instanceof JsonArray queries) || queries.isEmpty() || queries.size() > batchMax) {
      return Future.succeededFuture(refuse(new InvalidRequest("queries",
        "expected an array of 1 to " + batchMax + " questions (dns.batch_max)")));
    }
    List<Future<JsonObject>> results = new ArrayList<>();
    for (int i = 0; i < queries.size(); i++) {
      results.add(one(queries.getValue(i), "queries[" + i + "]."));
    }
    return Future.all(results).map(all -> new JsonObject().put("results", new JsonArray(all.list())));
  }

  private Future<JsonObject> one(Object body, String prefix) {
    Question question;
    try {
      question = Question.parse(body, prefix);
    } catch (InvalidRequest invalid) {
      return Future.succeededFuture(refuse(invalid));
    }
    Future<JsonObject> resolved;
    try {
      resolved = resolve(question);
    } catch (RuntimeException bug) { // answered as INTERNAL below rather than left without a reply
      resolved = Future.failedFuture(bug);
    }
    return resolved.recover(failure -> Future.succeededFuture(errorReply(question, failure)));
  }

  private JsonObject errorReply(Question question, Throwable failure) {
    if (failure instanceof UpstreamFailure) {
      return ErrorReply.of(ErrorCode.UPSTREAM_FAILED, failure.getMessage());
    }
    if (failure instanceof Resolver.Busy) {
      busy.increment();
      return ErrorReply.of(ErrorCode.BUSY, failure.getMessage());
    }
    return ErrorReply.of(ErrorCode.INTERNAL, "resolving " + question.name() + " failed: " + failure);
  }

  private Future<JsonObject> resolve(Question question) {
    if (question.type().equals(QueryType.ADDR)) {
      return Future.all(resolver.resolve(question.name(), Type.A), resolver.resolve(question.name(), Type.AAAA))
        .map(both -> ResolveReply.addresses(question, both.resultAt(0), both.resultAt(1)));
    }
    return resolver.resolve(question.name(), question.type().code()).map(resolution -> ResolveReply.single(question, resolution));
  }

  private JsonObject refuse(InvalidRequest invalid) {
    badRequests.increment();
    return ErrorReply.of(ErrorCode.BAD_REQUEST, invalid.getMessage());
  }
}
