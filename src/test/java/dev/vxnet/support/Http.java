package dev.vxnet.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.concurrent.TimeUnit;

/** GET over HTTPS (the development certificate: trusted blindly) or plain HTTP on 127.0.0.1, waiting at most 20 s. */
public final class Http {

  private final WebClient https;
  private final WebClient plain;

  public Http(Vertx vertx) {
    this.https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
    this.plain = WebClient.create(vertx);
  }

  public HttpResponse<Buffer> https(int port, String path) throws Exception {
    return https.get(port, "127.0.0.1", path).send().await(20, TimeUnit.SECONDS);
  }

  public HttpResponse<Buffer> http(int port, String path) throws Exception {
    return plain.get(port, "127.0.0.1", path).send().await(20, TimeUnit.SECONDS);
  }
}
