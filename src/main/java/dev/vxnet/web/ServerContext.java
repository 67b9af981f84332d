package dev.vxnet.web;

import io.vertx.core.Vertx;

/**
 * What a {@link RouteGroup} learns of the server verticle instance that mounts it.
 *
 * @param vertx    the Vert.x instance the server runs in
 * @param instance the server verticle instance, e.g. {@code https#3}, for answers that say who served them
 * @param settings the server's web settings (its section's limits and timeouts)
 */
public record ServerContext(Vertx vertx, String instance, WebSettings settings) {
}
