package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * HTTP load. Over HTTP/1.1 a GET or POST of --url goes on {@link Http1Connection}s: one keep-alive connection per
 * session, the request encoded once. Over HTTP/2, and for DNS over HTTPS, one Vert.x HttpClient per event loop whose
 * pool holds that loop's share of --connections (--streams requests multiplexed on each), and one session per stream
 * that sends a request, reads the whole response, and sends the next. What a request is and what makes a response right
 * is an {@link Exchange}: a fixed GET or POST whose status must be 2xx or 3xx, or a DNS-over-HTTPS query
 * ({@link DnsLoad}).
 */
final class HttpLoad extends Load {

  static final String STATUS = "status ";
  static final String VERSION = "version ";
  static final String CONNECTIONS_OPENED = "connections opened";

  /** The request of one operation and the check of its response. */
  interface Exchange {

    /** The request of the worker's {@code n}-th operation. */
    RequestOptions options(long n);

    /** Its body, or null for none. */
    Buffer body(long n);

    /**
     * Reads the whole response; succeeds with the number of body bytes, or fails with {@link Failure} saying why the
     * response is wrong.
     */
    Future<Long> read(Worker worker, HttpClientResponse response, long n);
  }

  /** A response that came but is wrong: counted as {@code kind}. */
  static final class Failure extends RuntimeException {
    final ErrorKind kind;

    Failure(ErrorKind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  private final Exchange exchange;
  /** The encoded HTTP/1.1 request of --url, or null where the pooled client sends (HTTP/2, DoH). */
  private final ByteBuf http1Request;

  HttpLoad(Settings settings, Exchange exchange) {
    this(settings, exchange, null);
  }

  private HttpLoad(Settings settings, Exchange exchange, ByteBuf http1Request) {
    super(settings);
    this.exchange = exchange;
    this.http1Request = http1Request;
  }

  /** The load of {@code vxnet load http}: the same GET or POST of --url every time. */
  static HttpLoad plain(Settings settings) {
    return new HttpLoad(settings, plainRequests(settings),
      settings.httpVersion() == HttpVersion.HTTP_1_1 ? encodedRequest(settings) : null);
  }

  @Override
  List<Session> sessions(Worker worker, int first, int count) {
    if (http1Request != null) {
      RequestOptions request = requestOptions(settings);
      NetClient client = worker.vertx().createNetClient(withTls(new NetClientOptions()
        .setConnectTimeout(settings.connectTimeoutMs()).setTcpNoDelay(true)
        .setHostnameVerificationAlgorithm(settings.insecure() ? "" : "HTTPS"), settings));
      boolean tls = Boolean.TRUE.equals(request.isSsl());
      ConnectOptions target = new ConnectOptions().setHost(request.getHost()).setPort(request.getPort()).setSsl(tls);
      if (tls && !NetUtil.isValidIpV4Address(request.getHost())
        && !NetUtil.isValidIpV6Address(request.getHost())) {
        // RFC 6066 section 3: no IP literals in server_name, and no trailing dot
        target.setSniServerName(request.getHost().endsWith(".") ? request.getHost().substring(0, request.getHost().length() - 1) : request.getHost());
      }
      Http1Connection.StatusKeys statusKeys = new Http1Connection.StatusKeys();
      return numbered(first, count, index -> new Http1Connection(worker, client, target, http1Request, statusKeys));
    }
    int connections = count / settings.streams();
    HttpClient client = worker.vertx().httpClientBuilder()
      .with(clientOptions(settings))
      .with(new PoolOptions().setHttp1MaxSize(connections).setHttp2MaxSize(connections).setMaxWaitQueueSize(-1))
      .withConnectHandler(connection -> worker.tallyAlways(CONNECTIONS_OPENED))
      .build();
    return numbered(first, count, index -> new Lane(worker, client, index));
  }

  static HttpClientOptions clientOptions(Settings settings) {
    HttpClientOptions options = withTls(new HttpClientOptions()
      .setProtocolVersion(settings.httpVersion())
      .setKeepAlive(true)
      .setTcpNoDelay(true)
      .setConnectTimeout(settings.connectTimeoutMs())
      .setHttp2MultiplexingLimit(settings.streams())
      .setHttp2ClearTextUpgrade(false), settings);
    if (options.isSsl()) {
      options.setUseAlpn(settings.httpVersion() == HttpVersion.HTTP_2).setVerifyHost(!settings.insecure());
    }
    return options;
  }

  /**
   * TLS of an https --url on a client's options: OpenSSL when it loads, and trust of any certificate (--insecure), of
   * --ca, or of the JVM's trust store. The caller turns hostname verification on, each client type its own way.
   */
  private static <T extends ClientOptionsBase> T withTls(T options, Settings settings) {
    if ("https".equals(settings.url().getScheme())) {
      options.setSsl(true);
      if (OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
      }
      if (settings.insecure()) {
        options.setTrustAll(true);
      } else if (settings.ca() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(settings.ca().toString()));
      }
    }
    return options;
  }

  /**
   * The GET or POST of --url as HTTP/1.1 bytes, encoded once by Netty's HttpRequestEncoder: request line, Host (with the
   * port when it is not the scheme's), the --header lines, and Content-Length with the --size payload for a body.
   */
  static ByteBuf encodedRequest(Settings settings) {
    RequestOptions options = requestOptions(settings);
    URI url = settings.url();
    ByteBuf body = settings.size() > 0 ? Unpooled.wrappedBuffer(Payload.copyOf(settings.size()).getBytes()) : Unpooled.EMPTY_BUFFER;
    FullHttpRequest request = new DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
      io.netty.handler.codec.http.HttpMethod.valueOf(settings.method().name()), options.getURI(), body);
    request.headers().set(HttpHeaderNames.HOST, url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""));
    for (String[] header : settings.headers()) {
      if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(header[0])) {
        request.headers().remove(HttpHeaderNames.HOST);
      }
    }
    for (String[] header : settings.headers()) {
      request.headers().add(header[0], header[1]);
    }
    if (body.isReadable()) {
      HttpUtil.setContentLength(request, body.readableBytes());
    }
    EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
    encoder.writeOutbound(request);
    ByteBuf encoded = Unpooled.directBuffer();
    for (ByteBuf part; (part = encoder.readOutbound()) != null; part.release()) {
      encoded.writeBytes(part);
    }
    encoder.finishAndReleaseAll();
    // Written as a duplicate by every connection: the write releases the duplicate, which must not free these bytes.
    return Unpooled.unreleasableBuffer(encoded.asReadOnly());
  }

  /** Base request options of --url: host, port, path and query. */
  static RequestOptions requestOptions(Settings settings) {
    URI url = settings.url();
    boolean tls = "https".equals(url.getScheme());
    String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
      + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    return new RequestOptions()
      .setMethod(settings.method())
      .setHost(url.getHost().replaceAll("^\\[|]$", ""))
      .setPort(url.getPort() > 0 ? url.getPort() : tls ? 443 : 80)
      .setSsl(tls)
      .setURI(path);
    // No per-request timeouts: each would set and cancel a timer per request (about a tenth of the client's time);
    // the connect timeout is the client's, and the lanes' scan resets a request unanswered after --timeout.
  }

  /** The same GET or POST (of --size payload bytes) for every operation; any 2xx or 3xx status is right. */
  static Exchange plainRequests(Settings settings) {
    RequestOptions options = requestOptions(settings);
    for (String[] header : settings.headers()) {
      options.addHeader(header[0], header[1]);
    }
    Buffer requestBody = settings.size() > 0 ? Payload.copyOf(settings.size()) : null;
    return new Exchange() {
      @Override
      public RequestOptions options(long n) {
        return options;
      }

      @Override
      public Buffer body(long n) {
        return requestBody;
      }

      @Override
      public Future<Long> read(Worker worker, HttpClientResponse response, long n) {
        int status = response.statusCode();
        long[] bytes = {0};
        response.handler(chunk -> bytes[0] += chunk.length());
        return response.end().compose(end -> status >= 200 && status < 400 ? Future.succeededFuture(bytes[0])
          : Future.failedFuture(new Failure(ErrorKind.STATUS, "HTTP status " + status)));
      }
    };
  }

  @Override
  String unit() {
    return "requests";
  }

  @Override
  void report(JsonObject result, Totals totals) {
    Map<String, Long> status = new TreeMap<>();
    Map<String, Long> versions = new TreeMap<>();
    totals.tallies.forEach((key, count) -> {
      if (key.startsWith(STATUS)) {
        status.put(key.substring(STATUS.length()), count);
      } else if (key.startsWith(VERSION)) {
        versions.put(key.substring(VERSION.length()), count);
      }
    });
    result.put("connections_opened", totals.tally(CONNECTIONS_OPENED))
      .put("status", new JsonObject(new TreeMap<>(status)))
      .put("http_versions", new JsonObject(new TreeMap<>(versions)))
      .put("bytes", totals.bytes).put("bytes_per_s", totals.bytesPerSecond());
  }

  /** One stream: one request in flight at a time. */
  private final class Lane extends Session {

    private final HttpClient client;
    private long sequence;
    private HttpClientRequest current;
    private long currentSentAt;
    private boolean expired;

    Lane(Worker worker, HttpClient client, int index) {
      super(worker, 1);
      this.client = client;
      this.sequence = index * 7L;
    }

    /**
     * One request per lane, all at once, before the clock starts: the pool opens every connection (HTTP/2: fills one
     * with --streams lanes, then opens the next), TLS handshakes and all, so that none of it is measured. Any response
     * will do; the lane fails to open only when no connection could be made.
     */
    @Override
    Future<?> open() {
      Buffer body = exchange.body(sequence);
      return client.request(exchange.options(sequence))
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(HttpClientResponse::body)
        .recover(failure -> Future.failedFuture(describeConnectFailure(failure)));
    }

    @Override
    protected void send(long intended, long now) {
      long n = sequence++;
      currentSentAt = now;
      expired = false;
      client.request(exchange.options(n))
        .compose(request -> {
          current = request;
          Buffer body = exchange.body(n);
          return body == null ? request.send() : request.send(body);
        })
        .compose(response -> {
          worker.tally(VERSION + response.version().alpnName());
          worker.tally(STATUS + response.statusCode());
          return exchange.read(worker, response, n);
        })
        .onComplete(answer -> {
          current = null;
          if (answer.succeeded()) {
            succeeded(intended, now, answer.result());
          } else {
            Throwable failure = answer.cause();
            if (failure instanceof Failure wrong) {
              failed(wrong.kind, wrong.getMessage());
            } else if (expired || failure instanceof TimeoutException) {
              failed(ErrorKind.TIMEOUT, "no complete response within " + settings.timeoutMs() + " ms");
            } else if (isConnectFailure(failure)) {
              lost(ErrorKind.CONNECT, describeConnectFailure(failure));
            } else {
              failed(ErrorKind.CLOSED, Load.describe(failure));
            }
          }
        });
    }

    @Override
    void expire(long deadline) {
      if (outstanding > 0 && current != null && currentSentAt - deadline < 0 && !expired) {
        expired = true;
        current.reset();
      }
    }

    @Override
    Future<?> close() {
      markClosed();
      return Future.succeededFuture();
    }
  }

  private static boolean isConnectFailure(Throwable failure) {
    return failure instanceof ConnectException || failure instanceof SSLException
      || failure instanceof io.netty.channel.ConnectTimeoutException;
  }

  /** A failure to connect as one line; a TLS failure says how to trust the server's certificate. */
  static String describeConnectFailure(Throwable failure) {
    String message = Load.describe(failure);
    return failure instanceof SSLException ? message + " (TLS: --ca FILE trusts your CA, --insecure trusts any certificate)" : message;
  }
}
