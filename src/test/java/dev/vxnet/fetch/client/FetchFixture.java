package dev.vxnet.fetch.client;

import dev.vxnet.bus.Addresses;
import dev.vxnet.bus.Node;
import dev.vxnet.bus.ServiceCall;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two Vert.x instances: one for the origins and the DNS server (the "internet"), one for the fetcher (the client
 * side) whose resolver knows only the names below, all on loopback, and asks the in-JVM NXDOMAIN server about any
 * other. Nothing a test does can reach a non-loopback address, even with a broken guard.
 */
public final class FetchFixture implements AutoCloseable {

  /** 127.0.0.1 is what tests allowlist; 127.0.0.2 is loopback too, but never allowlisted. */
  static final String HOSTS = """
    127.0.0.1 allowed.test
    127.0.0.1 byname.test
    127.0.0.2 internal.test
    """;
  public static final long WAIT_SECONDS = 15;

  public final Vertx internet;
  public final Vertx client;
  public final NxDomainServer dns;
  private final List<Origin> origins = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();

  private FetchFixture(Vertx internet, Vertx client, NxDomainServer dns) {
    this.internet = internet;
    this.client = client;
    this.dns = dns;
  }

  public static FetchFixture start() {
    Vertx internet = Vertx.vertx();
    NxDomainServer dns = await(NxDomainServer.start(internet));
    Vertx client = Vertx.vertx(new VertxOptions().setAddressResolverOptions(new AddressResolverOptions()
      .setHostsValue(Buffer.buffer(HOSTS))
      .setServers(List.of(dns.address()))
      .setSearchDomains(List.of())
      .setNdots(1)
      .setQueryTimeout(2_000)
      .setMaxQueries(2)));
    Node.setName(client, "fetch-test");
    return new FetchFixture(internet, client, dns);
  }

  /** A fetch config: defaults, 127.0.0.1 allowed, then {@code overrides}. */
  public static JsonObject config(JsonObject overrides) {
    return new JsonObject().put("allow", List.of("127.0.0.1")).mergeIn(overrides);
  }

  public String deploy(JsonObject fetchConfig) {
    String id = await(client.deployVerticle(new HttpFetcherVerticle(), new DeploymentOptions().setConfig(fetchConfig)));
    deployments.add(id);
    return id;
  }

  public Origin plainOrigin() {
    return track(await(Origin.plain(internet)));
  }

  public Origin tlsOrigin(String hostName) {
    return track(await(Origin.tls(internet, hostName)));
  }

  private Origin track(Origin origin) {
    origins.add(origin);
    return origin;
  }

  public JsonObject fetch(JsonObject request) {
    return await(ServiceCall.request(client, Addresses.FETCH, request, 20_000));
  }

  public JsonObject batch(JsonObject request) {
    return await(ServiceCall.request(client, Addresses.FETCH_BATCH, request, 60_000));
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no result within " + WAIT_SECONDS + " s: " + e, e);
    }
  }

  /** Between tests: undeploys the fetchers (closing their connections), then closes the origins. */
  public void reset() {
    deployments.forEach(id -> await(client.undeploy(id)));
    deployments.clear();
    origins.forEach(origin -> await(origin.close()));
    origins.clear();
    dns.asked().clear();
  }

  /** Closes the client side first (its connections), then the origins, so that no close waits for a grace period. */
  @Override
  public void close() {
    reset();
    await(client.close());
    await(dns.close());
    await(internet.close());
  }
}
