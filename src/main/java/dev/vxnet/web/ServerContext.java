package dev.vxnet.web;

import dev.vxnet.bus.Counters;
import io.vertx.core.Vertx;

/**
 * What a {@link RouteGroup} learns of the server verticle instance that mounts it.
 *
 * @param vertx    the Vert.x instance the server runs in
 * @param counters the server verticle instance's counters (/api/stats, /metrics), where a group declares its own
 * @param settings the server's web settings (its section's limits and timeouts)
 */
public record ServerContext(Vertx vertx, Counters counters, WebSettings settings) {

  /** The server verticle instance, e.g. {@code https#3}, for answers that say who served them. */
  public String instance() {
    return counters.instance();
  }
}
