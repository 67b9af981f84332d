package dev.vxnet.https;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.GoAway;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.handler.HttpException;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A request as the routes see it: its response under {@link BodyRules}, and its connection under one rule for
 * closing. A route may close its connection only while that is the one way to end the exchange: on HTTP/1.x while
 * the request body is still arriving or the response unfinished (the connection cannot carry another request then); on
 * HTTP/2 never, since other streams share the connection, so a close there resets this request's stream if it is
 * still unanswered and does nothing otherwise. Anything else keeps the connection for the next request. (vertx-web
 * 5.0.7's SockJS xhr polling closes the connection after every poll: on HTTP/1.1 that defeats keep-alive, on HTTP/2
 * it sends GOAWAY and loses the session's concurrent {@code xhr_send}.) The server's own closes (header deadline,
 * connection caps) use the connection itself, not this view.
 */
final class ScreenedRequest extends HttpServerRequestWrapper {

  /** The methods whose bodies Vert.x decodes as forms. */
  private static final Set<HttpMethod> FORM_METHODS = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final BodyRules response;
  private final KeptConnection connection;

  ScreenedRequest(HttpServerRequestInternal request) {
    super(request);
    this.response = new BodyRules(request.response(), request.method());
    this.connection = new KeptConnection(request.connection());
  }

  @Override
  public HttpServerResponse response() {
    return response;
  }

  /**
   * Form decoding where Vert.x can do it: a request with a form content type but a method other than POST, PUT, PATCH
   * or DELETE keeps its body as raw bytes (Vert.x 5.0.7 throws, and vertx-web's BodyHandler turned that into a 500
   * with a stack trace), and a multipart content type Vert.x cannot decode (no boundary) is a 400 naming it.
   */
  @Override
  public HttpServerRequest setExpectMultipart(boolean expect) {
    if (expect && !FORM_METHODS.contains(delegate.method())) {
      return this;
    }
    try {
      delegate.setExpectMultipart(expect);
    } catch (IllegalStateException e) {
      throw new HttpException(400, "content-type: " + e.getMessage());
    }
    return this;
  }

  @Override
  public HttpConnection connection() {
    return connection;
  }

  /** The connection behind a view that {@link #connection()} handed out, or {@code connection} itself. */
  static HttpConnection unwrap(HttpConnection connection) {
    return connection instanceof KeptConnection kept ? kept.connection : connection;
  }

  /** Whether a route's close of the connection is the only way to end this exchange (see the class comment). */
  private boolean closeNeeded() {
    return delegate.version() != HttpVersion.HTTP_2 && (!delegate.response().ended() || bodyPending());
  }

  /** Body bytes the client announced and has not all sent yet (a request without a body is complete at its headers). */
  private boolean bodyPending() {
    if (delegate.isEnded()) {
      return false;
    }
    String length = delegate.getHeader(HttpHeaders.CONTENT_LENGTH);
    return delegate.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
  }

  private Future<Void> closeRequested(long timeout, TimeUnit unit, HttpConnection connection) {
    if (closeNeeded()) {
      return connection.shutdown(timeout, unit);
    }
    if (delegate.version() == HttpVersion.HTTP_2 && !delegate.response().ended()) {
      return delegate.response().reset();
    }
    return Future.succeededFuture();
  }

  private final class KeptConnection implements HttpConnection {

    private final HttpConnection connection;

    KeptConnection(HttpConnection connection) {
      this.connection = connection;
    }

    @Override
    public Future<Void> shutdown(long timeout, TimeUnit unit) {
      return closeRequested(timeout, unit, connection);
    }

    @Override
    public HttpConnection goAway(long errorCode, int lastStreamId, Buffer debugData) {
      if (closeNeeded()) {
        connection.goAway(errorCode, lastStreamId, debugData);
      }
      return this;
    }

    @Override
    public int getWindowSize() {
      return connection.getWindowSize();
    }

    @Override
    public HttpConnection setWindowSize(int windowSize) {
      connection.setWindowSize(windowSize);
      return this;
    }

    @Override
    public HttpConnection goAwayHandler(Handler<GoAway> handler) {
      connection.goAwayHandler(handler);
      return this;
    }

    @Override
    public HttpConnection shutdownHandler(Handler<Void> handler) {
      connection.shutdownHandler(handler);
      return this;
    }

    @Override
    public HttpConnection closeHandler(Handler<Void> handler) {
      connection.closeHandler(handler);
      return this;
    }

    @Override
    public Http2Settings settings() {
      return connection.settings();
    }

    @Override
    public Future<Void> updateSettings(Http2Settings settings) {
      return connection.updateSettings(settings);
    }

    @Override
    public Http2Settings remoteSettings() {
      return connection.remoteSettings();
    }

    @Override
    public HttpConnection remoteSettingsHandler(Handler<Http2Settings> handler) {
      connection.remoteSettingsHandler(handler);
      return this;
    }

    @Override
    public Future<Buffer> ping(Buffer data) {
      return connection.ping(data);
    }

    @Override
    public HttpConnection pingHandler(Handler<Buffer> handler) {
      connection.pingHandler(handler);
      return this;
    }

    @Override
    public HttpConnection exceptionHandler(Handler<Throwable> handler) {
      connection.exceptionHandler(handler);
      return this;
    }

    @Override
    public SocketAddress remoteAddress() {
      return connection.remoteAddress();
    }

    @Override
    public SocketAddress remoteAddress(boolean real) {
      return connection.remoteAddress(real);
    }

    @Override
    public SocketAddress localAddress() {
      return connection.localAddress();
    }

    @Override
    public SocketAddress localAddress(boolean real) {
      return connection.localAddress(real);
    }

    @Override
    public boolean isSsl() {
      return connection.isSsl();
    }

    @Override
    public SSLSession sslSession() {
      return connection.sslSession();
    }

    @Override
    public List<Certificate> peerCertificates() throws SSLPeerUnverifiedException {
      return connection.peerCertificates();
    }

    @Override
    public String indicatedServerName() {
      return connection.indicatedServerName();
    }
  }
}
