package dev.vxnet.https;

import dev.vxnet.net.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Deploys the web servers on loopback port 0 and makes clients that verify them against the test CA. */
final class WebTests {

  static final long AWAIT_SECONDS = 20;

  /**
   * Vert.x 5 closes a client, and its connections, once the client is unreachable; a test that holds only a
   * connection or a pending request would see it closed by the garbage collector. Clients are kept here.
   */
  private static final List<Object> CLIENTS = Collections.synchronizedList(new ArrayList<>());

  static <T> T keep(T client) {
    CLIENTS.add(client);
    return client;
  }

  private WebTests() {
  }

  static <T> T await(Future<T> future) throws TimeoutException {
    return future.await(AWAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** https on 127.0.0.1:0 with the test CA's server certificate; {@code overrides} are merged over it. */
  static JsonObject httpsConfig(JsonObject overrides) throws Exception {
    TestCertificates certs = TestCertificates.get();
    return new JsonObject()
      .put("host", "127.0.0.1")
      .put("port", 0)
      .put("cert_path", certs.serverCertPem.toString())
      .put("key_path", certs.serverKeyPem.toString())
      .mergeIn(overrides);
  }

  /** Deploys the HTTPS verticle and returns the port it bound. */
  static int deployHttps(Vertx vertx, JsonObject config) throws TimeoutException {
    await(vertx.deployVerticle(new HttpsServerVerticle(), new DeploymentOptions().setConfig(config)));
    return Listening.port(vertx, "https");
  }

  /** Deploys the plain HTTP verticle and returns the port it bound. */
  static int deployHttp(Vertx vertx, JsonObject config) throws TimeoutException {
    JsonObject full = new JsonObject().put("host", "127.0.0.1").put("port", 0).mergeIn(config);
    await(vertx.deployVerticle(new HttpVerticle(), new DeploymentOptions().setConfig(full)));
    return Listening.port(vertx, "http");
  }

  /** A WebClient that verifies the server against the test CA (host name included), speaking {@code version}. */
  static WebClient client(Vertx vertx, HttpVersion version) throws Exception {
    return keep(WebClient.create(vertx, new WebClientOptions()
      .setSsl(true)
      .setUseAlpn(true)
      .setProtocolVersion(version)
      .setTrustOptions(new PemTrustOptions().addCertPath(TestCertificates.get().caPem.toString()))
      .setVerifyHost(true)
      .setDefaultHost("127.0.0.1")));
  }

  static WebClient plainClient(Vertx vertx) {
    return keep(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setFollowRedirects(false)));
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** Runs a command to completion (bounded) and returns its standard output; fails on a non-zero exit. */
  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(AWAIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": did not finish in " + AWAIT_SECONDS + " s");
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + process.exitValue() + ": " + err);
    }
    return out;
  }
}
