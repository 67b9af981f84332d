package dev.vxnet.https;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpFrame;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamPriority;
import io.vertx.core.net.HostAndPort;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.util.Set;

/**
 * Every response of the web servers, with RFC 9110's rule on content applied where the response is written, so that
 * no route can break it: a HEAD answer (section 9.3.2) and 1xx, 204, 205 and 304 answers (sections 15.2, 15.3.5,
 * 15.3.6, 15.4.5) carry no content, whatever a handler writes. Over HTTP/1.1 Netty's encoder already drops such a
 * body, but Vert.x 5.0.7's HTTP/2 response sends it as DATA after {@code content-length: 0} (and curl and nghttp2
 * reset the stream). A HEAD answer ended with a body gets that body's length as {@code Content-Length}, as GET would;
 * a 205 gets {@code Content-Length: 0}; 1xx and 204 get none. Everything else is passed through unchanged.
 */
final class BodyRules implements HttpServerResponse {

  private final HttpServerResponse response;
  private final boolean head;
  /** Set when the response ended, before the stream's close is reported. */
  private boolean answered;

  BodyRules(HttpServerResponse response, HttpMethod method) {
    this.response = response;
    this.head = method == HttpMethod.HEAD;
  }

  /** Whether an answer with {@code status} to a request with {@code method} may carry content. */
  static boolean allowsContent(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 205 && status != 304;
  }

  private boolean bodyless() {
    return head || !allowsContent(null, response.getStatusCode());
  }

  /** Headers for an answer that goes without the {@code length} bytes a handler gave it (-1: not known). */
  private void withoutContent(long length) {
    if (response.headWritten()) {
      return;
    }
    int status = response.getStatusCode();
    MultiMap headers = response.headers();
    headers.remove(HttpHeaders.TRANSFER_ENCODING);
    if (status < 200 || status == 204) {
      headers.remove(HttpHeaders.CONTENT_LENGTH);
    } else if (status == 205) {
      headers.set(HttpHeaders.CONTENT_LENGTH, "0");
    } else if (head && status != 304 && length >= 0 && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
    }
    if (response.isChunked()) {
      response.setChunked(false);
    }
  }

  private Future<Void> ended(Future<Void> end) {
    answered = true;
    return end;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (bodyless()) {
      withoutContent(-1);
      return Future.succeededFuture();
    }
    return response.write(data);
  }

  @Override
  public Future<Void> write(String chunk, String enc) {
    return write(Buffer.buffer(chunk, enc));
  }

  @Override
  public Future<Void> write(String chunk) {
    return write(Buffer.buffer(chunk));
  }

  @Override
  public Future<Void> end(Buffer chunk) {
    if (bodyless()) {
      withoutContent(chunk.length());
      return ended(response.end());
    }
    return ended(response.end(chunk));
  }

  @Override
  public Future<Void> end(String chunk) {
    return end(Buffer.buffer(chunk));
  }

  @Override
  public Future<Void> end(String chunk, String enc) {
    return end(Buffer.buffer(chunk, enc));
  }

  @Override
  public Future<Void> end() {
    if (bodyless()) {
      withoutContent(-1);
    }
    return ended(response.end());
  }

  @Override
  public Future<Void> sendFile(String filename, long offset, long length) {
    if (bodyless()) {
      withoutContent(-1);
      return ended(response.end());
    }
    return ended(response.sendFile(filename, offset, length));
  }

  @Override
  public Future<Void> sendFile(FileChannel channel, long offset, long length) {
    if (bodyless()) {
      withoutContent(-1);
      return ended(response.end());
    }
    return ended(response.sendFile(channel, offset, length));
  }

  @Override
  public Future<Void> sendFile(RandomAccessFile file, long offset, long length) {
    if (bodyless()) {
      withoutContent(-1);
      return ended(response.end());
    }
    return ended(response.sendFile(file, offset, length));
  }

  // Everything below passes through; fluent methods return this decorator.

  @Override
  public HttpServerResponse exceptionHandler(Handler<Throwable> handler) {
    response.exceptionHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse setWriteQueueMaxSize(int maxSize) {
    response.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public HttpServerResponse drainHandler(Handler<Void> handler) {
    response.drainHandler(handler);
    return this;
  }

  @Override
  public int getStatusCode() {
    return response.getStatusCode();
  }

  @Override
  public HttpServerResponse setStatusCode(int statusCode) {
    response.setStatusCode(statusCode);
    return this;
  }

  @Override
  public String getStatusMessage() {
    return response.getStatusMessage();
  }

  @Override
  public HttpServerResponse setStatusMessage(String statusMessage) {
    response.setStatusMessage(statusMessage);
    return this;
  }

  @Override
  public HttpServerResponse setChunked(boolean chunked) {
    response.setChunked(chunked);
    return this;
  }

  @Override
  public boolean isChunked() {
    return response.isChunked();
  }

  @Override
  public MultiMap headers() {
    return response.headers();
  }

  @Override
  public HttpServerResponse putHeader(String name, String value) {
    response.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, CharSequence value) {
    response.putHeader(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(String name, Iterable<String> values) {
    response.putHeader(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putHeader(CharSequence name, Iterable<CharSequence> values) {
    response.putHeader(name, values);
    return this;
  }

  @Override
  public MultiMap trailers() {
    return response.trailers();
  }

  @Override
  public HttpServerResponse putTrailer(String name, String value) {
    response.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, CharSequence value) {
    response.putTrailer(name, value);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(String name, Iterable<String> values) {
    response.putTrailer(name, values);
    return this;
  }

  @Override
  public HttpServerResponse putTrailer(CharSequence name, Iterable<CharSequence> value) {
    response.putTrailer(name, value);
    return this;
  }

  /**
   * {@code handler} runs when the connection (HTTP/2: the stream) closes before this response has ended: the client
   * went away. Vert.x 5.0.7 also runs it when an HTTP/2 stream closes after a complete answer, which SockJS's xhr
   * polling takes for a client gone and closes its session after every poll.
   */
  @Override
  public HttpServerResponse closeHandler(Handler<Void> handler) {
    response.closeHandler(handler == null ? null : closed -> {
      if (!answered) {
        handler.handle(closed);
      }
    });
    return this;
  }

  @Override
  public HttpServerResponse endHandler(Handler<Void> handler) {
    response.endHandler(handler);
    return this;
  }

  @Override
  public Future<Void> writeHead() {
    return response.writeHead();
  }

  @Override
  public Future<Void> writeContinue() {
    return response.writeContinue();
  }

  @Override
  public Future<Void> writeEarlyHints(MultiMap headers) {
    return response.writeEarlyHints(headers);
  }

  @Override
  public boolean ended() {
    return response.ended();
  }

  @Override
  public boolean closed() {
    return response.closed();
  }

  @Override
  public boolean headWritten() {
    return response.headWritten();
  }

  @Override
  public HttpServerResponse headersEndHandler(Handler<Void> handler) {
    response.headersEndHandler(handler);
    return this;
  }

  @Override
  public HttpServerResponse bodyEndHandler(Handler<Void> handler) {
    response.bodyEndHandler(handler);
    return this;
  }

  @Override
  public long bytesWritten() {
    return response.bytesWritten();
  }

  @Override
  public int streamId() {
    return response.streamId();
  }

  @Override
  public Future<HttpServerResponse> push(HttpMethod method, HostAndPort authority, String path, MultiMap headers) {
    return response.push(method, authority, path, headers);
  }

  @Override
  public Future<Void> reset(long code) {
    return response.reset(code);
  }

  @Override
  public Future<Void> writeCustomFrame(int type, int flags, Buffer payload) {
    return response.writeCustomFrame(type, flags, payload);
  }

  @Override
  public Future<Void> writeCustomFrame(HttpFrame frame) {
    return response.writeCustomFrame(frame);
  }

  @Override
  public HttpServerResponse setStreamPriority(StreamPriority streamPriority) {
    response.setStreamPriority(streamPriority);
    return this;
  }

  @Override
  public HttpServerResponse addCookie(Cookie cookie) {
    response.addCookie(cookie);
    return this;
  }

  @Override
  public Cookie removeCookie(String name, boolean invalidate) {
    return response.removeCookie(name, invalidate);
  }

  @Override
  public Set<Cookie> removeCookies(String name, boolean invalidate) {
    return response.removeCookies(name, invalidate);
  }

  @Override
  public Cookie removeCookie(String name, String domain, String path, boolean invalidate) {
    return response.removeCookie(name, domain, path, invalidate);
  }
}
