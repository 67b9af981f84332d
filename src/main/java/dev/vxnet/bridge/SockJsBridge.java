package dev.vxnet.bridge;

import dev.vxnet.bridge.Permissions.Action;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

/**
 * The event bus for browsers and WebSocket clients at {@code /eventbus}: Vert.x's SockJS bridge with the
 * same {@link Permissions} as the TCP bridge. Its protocol is Vert.x's SockJS one: the raw WebSocket
 * endpoint {@code /eventbus/websocket} takes one JSON frame per WebSocket message; SockJS clients
 * ({@code vertx3-eventbus-client}) use the other transports. Errors there are {@code {"type":"err","body":token}}.
 */
public final class SockJsBridge {

  private SockJsBridge() {
  }

  /**
   * Mounts the bridge on {@code router} at {@code /eventbus/*}, after a {@link BodyHandler} limited to
   * {@code maxFrameBytes} for the xhr transports (a BodyHandler already on the route runs first and wins).
   * The WebSocket transports are bounded by the server's options: see {@link #limitWebSockets}.
   */
  public static void mount(Router router, Vertx vertx, BridgeLimits limits) {
    SockJSBridgeOptions options = Permissions.sockJsOptions()
      .setReplyTimeout(limits.requestTimeoutMs())
      .setMaxHandlersPerSocket(limits.maxRegistrations() + limits.maxPendingRequests());
    router.route("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(limits.maxFrameBytes()));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, SockJsBridge::checkKind));
  }

  /** Caps WebSocket frames and messages at {@code maxFrameBytes}; the server closes a WebSocket that sends more. */
  public static HttpServerOptions limitWebSockets(HttpServerOptions options, BridgeLimits limits) {
    return options.setMaxWebSocketFrameSize(limits.maxFrameBytes()).setMaxWebSocketMessageSize(limits.maxFrameBytes());
  }

  /**
   * Refuses a send to a chat room and a publish to a service ({@code "rejected"}); addresses outside the
   * permitted lists are then refused by the bridge itself ({@code "access_denied"}).
   */
  private static void checkKind(BridgeEvent event) {
    BridgeEventType type = event.type();
    if (type == BridgeEventType.SEND || type == BridgeEventType.PUBLISH) {
      Object address = event.getRawMessage() == null ? null : event.getRawMessage().getValue("address");
      Action wanted = type == BridgeEventType.SEND ? Action.SEND : Action.PUBLISH;
      Action other = type == BridgeEventType.SEND ? Action.PUBLISH : Action.SEND;
      boolean wrongKind = address instanceof String name && !Permissions.permits(wanted, name) && Permissions.permits(other, name);
      event.complete(!wrongKind);
    } else {
      event.complete(true);
    }
  }
}
