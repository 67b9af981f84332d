package dev.vxnet.fetch.client;

import dev.vxnet.bus.Counters;
import dev.vxnet.bus.LatencyWindow;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.net.Wire;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Fetches one URL: resolves its host with the Vert.x resolver, lets the {@link AddressGuard} judge every address,
 * connects to the checked address (the URL's host stays the Host header, SNI and certificate name), streams the body
 * up to its byte limit and follows redirects itself so that every hop is resolved and judged again. Always answers
 * with JSON: the response, or an error with a stable code.
 */
final class Fetcher {

  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  private static final Pattern LENGTH = Pattern.compile("\\d{1,18}");
  /** Credentials for one origin must not travel to another one a redirect points at. */
  private static final Set<String> ORIGIN_BOUND_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

  private final Vertx vertx;
  private final HttpClient plain;
  private final HttpClient tls;
  private final AddressGuard guard;
  private final ConnectionTracker tracker;
  private final String userAgent;
  private final LongAdder requests;
  private final LongAdder ok;
  private final LongAdder inFlight;
  private final LongAdder bytesReceived;
  private final LongAdder redirectsFollowed;
  private final LatencyWindow latency;
  private final Map<ErrorCode, LongAdder> failures = new EnumMap<>(ErrorCode.class);

  Fetcher(Vertx vertx, HttpClient plain, HttpClient tls, AddressGuard guard, ConnectionTracker tracker, String userAgent,
          Counters counters) {
    this.vertx = vertx;
    this.plain = plain;
    this.tls = tls;
    this.guard = guard;
    this.tracker = tracker;
    this.userAgent = userAgent;
    this.requests = counters.counter("requests");
    this.ok = counters.counter("ok");
    this.inFlight = counters.counter("in_flight");
    this.bytesReceived = counters.counter("bytes_received");
    this.redirectsFollowed = counters.counter("redirects_followed");
    this.latency = counters.latency("request");
    FetchCodes.ALL.forEach(code -> failures.put(code, counters.counter("failed_" + code.name().toLowerCase(Locale.ROOT))));
  }

  /** Never fails: a failure is an error reply. */
  Future<JsonObject> fetch(FetchRequest request, Deadline deadline) {
    return new Exchange(request, deadline).run();
  }

  /** Counts a request refused before it could start (bad input, batch deadline passed). */
  void refused(FetchException e) {
    requests.increment();
    failures.get(e.code()).increment();
  }

  private record Hop(URI url, HttpMethod method, List<Map.Entry<String, String>> headers, Buffer body) {
  }

  private record Received(HttpClientResponse response, Buffer body, boolean reused, InetSocketAddress address) {
  }

  /** One fetch with its redirects, under one deadline. */
  private final class Exchange {

    private final FetchRequest request;
    private final Deadline deadline;
    private final long startedNanos = latency.now();
    private final Promise<JsonObject> result = Promise.promise();
    private HttpClientRequest inProgress;
    private long timer;
    private int redirects;

    Exchange(FetchRequest request, Deadline deadline) {
      this.request = request;
      this.deadline = deadline;
    }

    Future<JsonObject> run() {
      requests.increment();
      inFlight.increment();
      timer = vertx.setTimer(Math.max(1, deadline.remainingMs()), id -> fail(new FetchException(ErrorCode.TIMEOUT,
        "no complete response from " + request.url() + " within " + deadline.limit())));
      hop(new Hop(request.url(), request.method(), request.headers(), request.body()));
      return result.future();
    }

    private void hop(Hop hop) {
      String host = bareHost(hop.url());
      destination(hop.url(), host)
        .compose(address -> send(hop, new InetSocketAddress(address, port(hop.url()))))
        .onComplete(outcome -> {
          if (outcome.failed()) {
            fail(FetchCodes.classify(outcome.cause(), origin(hop.url())));
          } else {
            answer(hop, outcome.result());
          }
        });
    }

    /** The address to connect to: every address the host resolves to must pass the guard, the first is used. */
    private Future<InetAddress> destination(URI url, String host) {
      Future<List<InetAddress>> resolved = Cidr.literal(host)
        .map(bytes -> Future.succeededFuture(List.of(literal(bytes))))
        .orElseGet(() -> resolve(host));
      return resolved.compose(addresses -> {
        for (InetAddress address : addresses) {
          AddressGuard.Verdict verdict = guard.check(host, address);
          if (!verdict.allowed()) {
            String where = Cidr.literal(host).isPresent() ? AddressGuard.text(address)
              : "host " + host + " resolves to " + AddressGuard.text(address) + ", which";
            return Future.failedFuture(new FetchException(ErrorCode.DENIED, hopName() + url + ": " + where
              + " is in " + verdict.rule() + ": refused by the SSRF guard (fetch.allow can open it)", verdict.rule()));
          }
        }
        return Future.succeededFuture(addresses.get(0));
      });
    }

    private Future<List<InetAddress>> resolve(String host) {
      Promise<List<InetSocketAddress>> promise = Promise.promise();
      ((VertxInternal) vertx).nameResolver().resolveAll(host, promise::handle);
      return promise.future()
        .<List<InetAddress>>map(list -> list.stream().map(InetSocketAddress::getAddress).toList())
        .compose(addresses -> addresses.isEmpty()
          ? Future.failedFuture(new UnknownHostException("no address for " + host))
          : Future.succeededFuture(addresses))
        .recover(failure -> Future.failedFuture(new FetchException(ErrorCode.DNS,
          hopName() + "cannot resolve " + host + ": " + failure.getMessage())));
    }

    private Future<Received> send(Hop hop, InetSocketAddress address) {
      if (result.future().isComplete()) {
        return Future.failedFuture("abandoned after the fetch ended");
      }
      boolean https = hop.url().getScheme().equalsIgnoreCase("https");
      RequestOptions options = new RequestOptions()
        .setServer(SocketAddress.inetSocketAddress(address))
        .setHost(hop.url().getHost())
        .setPort(address.getPort())
        .setSsl(https)
        .setMethod(hop.method())
        .setURI(pathAndQuery(hop.url()))
        .setFollowRedirects(false)
        .setConnectTimeout(Math.max(1, deadline.remainingMs()));
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      hop.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
      if (!headers.contains("user-agent")) {
        headers.set("user-agent", userAgent);
      }
      options.setHeaders(headers);
      return (https ? tls : plain).request(options).compose(clientRequest -> {
        if (result.future().isComplete()) {
          clientRequest.reset();
          return Future.failedFuture("abandoned after the fetch ended");
        }
        inProgress = clientRequest;
        boolean reused = tracker.use(clientRequest.connection());
        Future<HttpClientResponse> sent = hop.body() == null ? clientRequest.send() : clientRequest.send(hop.body());
        return sent.compose(response -> read(response)).map(response -> {
          inProgress = null;
          return new Received(response.response, response.body, reused, address);
        });
      });
    }

    private record Body(HttpClientResponse response, Buffer body) {
    }

    /** Streams the body, aborting the moment it would pass {@code max_bytes} instead of buffering whatever comes. */
    private Future<Body> read(HttpClientResponse response) {
      long max = request.maxBytes();
      Promise<Body> promise = Promise.promise();
      response.exceptionHandler(promise::tryFail);
      // A HEAD response declares the length of a body it does not send.
      String declared = response.request().getMethod() == HttpMethod.HEAD ? null : response.getHeader("content-length");
      if (declared != null && LENGTH.matcher(declared).matches() && Long.parseLong(declared) > max) {
        promise.tryFail(tooLarge("declares Content-Length " + declared));
        response.request().reset();
        return promise.future();
      }
      Buffer body = Buffer.buffer();
      response.handler(chunk -> {
        if (promise.future().isComplete()) {
          return;
        }
        if (body.length() + (long) chunk.length() > max) {
          promise.tryFail(tooLarge("sent more than that"));
          response.request().reset();
        } else {
          body.appendBuffer(chunk);
        }
      });
      // Completes on the next turn of the event loop: by then Vert.x has put the connection back in the pool, so
      // that the request this answer lets start (the next of a batch) reuses it instead of opening another one.
      response.endHandler(v -> vertx.runOnContext(next -> promise.tryComplete(new Body(response, body))));
      return promise.future();
    }

    private FetchException tooLarge(String what) {
      return new FetchException(ErrorCode.TOO_LARGE,
        "the response body is limited to " + request.maxBytes() + " bytes (max_bytes) and " + origin(request.url())
          + " " + what);
    }

    private void answer(Hop hop, Received received) {
      HttpClientResponse response = received.response();
      String location = response.getHeader("location");
      if (!request.followRedirects() || !REDIRECTS.contains(response.statusCode()) || location == null) {
        succeed(hop, received);
        return;
      }
      if (redirects >= request.maxRedirects()) {
        fail(new FetchException(ErrorCode.REDIRECTS, "more than " + request.maxRedirects()
          + " redirects (max_redirects); the last one went from " + hop.url() + " to " + location));
        return;
      }
      redirects++;
      redirectsFollowed.increment();
      try {
        hop(next(hop, response.statusCode(), location));
      } catch (FetchException e) {
        fail(e);
      }
    }

    /** The hop a redirect asks for: 303 (and 301/302 after POST) turn into GET without body, as browsers do. */
    private Hop next(Hop hop, int status, String location) {
      URI target;
      try {
        target = hop.url().resolve(new URI(location));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new FetchException(ErrorCode.UPSTREAM, hopName() + hop.url() + " redirects to an invalid Location: " + location);
      }
      URI checked = FetchRequest.url(target.toString(), hopName() + "Location " + location);
      boolean toGet = (status == 303 && hop.method() != HttpMethod.HEAD)
        || ((status == 301 || status == 302) && hop.method() == HttpMethod.POST);
      boolean sameOrigin = origin(checked).equals(origin(hop.url()));
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (Map.Entry<String, String> header : hop.headers()) {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        boolean dropped = (!sameOrigin && ORIGIN_BOUND_HEADERS.contains(name)) || (toGet && name.equals("content-type"));
        if (!dropped) {
          headers.add(header);
        }
      }
      return toGet
        ? new Hop(checked, HttpMethod.GET, headers, null)
        : new Hop(checked, hop.method(), headers, hop.body());
    }

    private void succeed(Hop hop, Received received) {
      HttpClientResponse response = received.response();
      BodyEncoding body = BodyEncoding.of(response.getHeader("content-type"), received.body().getBytes());
      JsonObject reply = new JsonObject()
        .put("url", hop.url().toString())
        .put("status", response.statusCode())
        .put("http_version", Wire.httpVersion(response.version()))
        .put("headers", headers(response.headers()))
        .put("encoding", body.encoding())
        .put("body", body.body())
        .put("bytes", received.body().length())
        .put("elapsed_ms", (System.nanoTime() - startedNanos) / 1_000_000)
        .put("reused", received.reused())
        .put("redirects", redirects)
        .put("address", AddressGuard.text(received.address().getAddress()) + ":" + received.address().getPort());
      if (result.tryComplete(reply)) {
        latency.recordSince(startedNanos);
        vertx.cancelTimer(timer);
        inFlight.decrement();
        ok.increment();
        bytesReceived.add(received.body().length());
      }
    }

    private void fail(FetchException failure) {
      if (result.tryComplete(failure.toReply())) {
        latency.recordSince(startedNanos);
        vertx.cancelTimer(timer);
        inFlight.decrement();
        failures.get(failure.code()).increment();
        if (inProgress != null) {
          inProgress.reset();
        }
      }
    }

    private String hopName() {
      return redirects == 0 ? "" : "redirect " + redirects + ": ";
    }
  }

  private static InetAddress literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address literal of " + bytes.length + " bytes", e);
    }
  }

  private static String bareHost(URI url) {
    String host = url.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private static int port(URI url) {
    return url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  static String origin(URI url) {
    return url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port(url);
  }

  private static String pathAndQuery(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** Lower-case names; repeated headers joined with ", " (RFC 9110), except set-cookie, always a list. */
  static JsonObject headers(MultiMap headers) {
    JsonObject json = new JsonObject();
    for (String name : headers.names()) {
      String key = name.toLowerCase(Locale.ROOT);
      if (!json.containsKey(key)) {
        List<String> values = headers.getAll(name);
        json.put(key, key.equals("set-cookie") ? new JsonArray(values) : String.join(", ", values));
      }
    }
    return json;
  }
}
