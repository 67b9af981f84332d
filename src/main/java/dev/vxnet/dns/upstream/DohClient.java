package dev.vxnet.dns.upstream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.SocketAddress;
import org.xbill.DNS.Message;

import java.net.InetSocketAddress;

/**
 * DNS over HTTPS to one upstream (RFC 8484): each query POSTed as {@code application/dns-message} with ID 0 (section
 * 4.1, cache-friendly), over one HTTP/2 connection the client keeps (HTTP/1.1 if the server offers no h2). The
 * certificate is verified against the URL's host; with a pin, the connection's public key must match before the
 * query is sent. A status other than 200, another content type or a body that is no answer to the query fails.
 */
final class DohClient implements UpstreamClient {

  private static final String DNS_MESSAGE = "application/dns-message";
  private static final int MAX_MESSAGE = 65_535;

  private final ContextInternal context;
  private final Upstream upstream;
  private final HttpClient client;

  DohClient(ContextInternal context, Upstream upstream, HttpClient client) {
    this.context = context;
    this.upstream = upstream;
    this.client = client;
  }

  @Override
  public Future<Message> exchange(Message query, long timeoutMs) {
    query.getHeader().setID(0);
    Promise<Message> result = UpstreamClient.answerWithin(context, timeoutMs, " over HTTPS");
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.POST)
      .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(upstream.address(), upstream.port())))
      .setHost(upstream.host())
      .setPort(upstream.port())
      .setURI(upstream.path())
      .putHeader(HttpHeaders.CONTENT_TYPE, DNS_MESSAGE)
      .putHeader(HttpHeaders.ACCEPT, DNS_MESSAGE);
    client.request(options)
      .recover(failure -> Future.failedFuture(Tls.failure(failure)))
      .compose(request -> Tls.checkPin(upstream, Tls.peer(request.connection()::peerCertificates))
        .onFailure(mismatch -> request.reset())
        .compose(pinned -> send(request, query)))
      .onComplete(done -> {
        if (done.succeeded()) {
          result.tryComplete(done.result());
        } else {
          result.tryFail(done.cause() instanceof UpstreamFailure ? done.cause() : new UpstreamFailure("HTTPS error: " + done.cause().getMessage()));
        }
      });
    return result.future();
  }

  private static Future<Message> send(HttpClientRequest request, Message query) {
    return request.send(Buffer.buffer(query.toWire())).compose(response -> {
      String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
      if (response.statusCode() != 200 || type == null || !type.split(";")[0].trim().equalsIgnoreCase(DNS_MESSAGE)) {
        return Future.failedFuture(new UpstreamFailure("answered HTTP " + response.statusCode() + " " + type));
      }
      Promise<Buffer> body = Promise.promise();
      Buffer received = Buffer.buffer();
      response.handler(chunk -> {
        if (received.length() + chunk.length() > MAX_MESSAGE) {
          body.tryFail(new UpstreamFailure("answered more than " + MAX_MESSAGE + " bytes, more than a DNS message can have"));
          request.reset();
        } else {
          received.appendBuffer(chunk);
        }
      });
      response.exceptionHandler(body::tryFail);
      response.endHandler(end -> body.tryComplete(received));
      return body.future().map(all -> StreamFraming.answer(all.getBytes(), query));
    });
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
