package dev.vxnet.bridge;

import dev.vxnet.bridge.tcp.BridgeLimits;
import dev.vxnet.bridge.tcp.Permissions;
import dev.vxnet.bridge.tcp.Permissions.Action;
import dev.vxnet.config.Describe;
import dev.vxnet.web.Responses;
import dev.vxnet.web.RouteGroup;
import dev.vxnet.web.WebSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The event bus for browsers and WebSocket clients at {@code /eventbus}: Vert.x's SockJS bridge with the
 * same {@link Permissions} as the TCP bridge. Its protocol is Vert.x's SockJS one: the raw WebSocket
 * endpoint {@code /eventbus/websocket} takes one JSON frame per WebSocket message; SockJS clients
 * ({@code vertx3-eventbus-client}) use the other transports. Errors there are {@code {"type":"err","body":token}}.
 */
public final class SockJsBridge {

  private static final Logger LOG = LoggerFactory.getLogger(SockJsBridge.class);

  /**
   * The bridge as the web application mounts it, with the default {@link BridgeLimits}, where the server's
   * {@code eventbus_bridge} is on: a long-lived transport, before the request deadline.
   */
  public static final RouteGroup ROUTES = routes(BridgeLimits.DEFAULTS).enabledWhen(WebSettings::eventbusBridge);

  private SockJsBridge() {
  }

  /**
   * The bridge at {@code /eventbus/*} within {@code limits}: xhr transport bodies up to {@code maxFrameBytes}, and the
   * server's WebSocket frames and messages capped at the same size (the server closes a WebSocket that sends more).
   */
  public static RouteGroup routes(BridgeLimits limits) {
    return RouteGroup.transport("eventbus", List.of("/eventbus/*"), limits.maxFrameBytes(),
        (router, server) -> mount(router, server.vertx(), limits))
      .withServerOptions(options -> limitWebSockets(options, limits));
  }

  private static void mount(Router router, Vertx vertx, BridgeLimits limits) {
    SockJSBridgeOptions options = sockJsOptions()
      .setReplyTimeout(limits.requestTimeoutMs())
      .setMaxHandlersPerSocket(limits.maxRegistrations() + limits.maxPendingRequests());
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options, event -> {
      if (event.type() == BridgeEventType.SOCKET_CREATED) {
        quietAborts(vertx, event.socket());
      }
      checkKind(event);
    }));
  }

  /**
   * A client that drops its WebSocket without a close frame (a closed tab, a killed process) is an expected event:
   * counted with the server's {@code client_aborts}, not logged. The bridge's own exception handler logs each one
   * with a stack trace as SEVERE; it is set when the SOCKET_CREATED event completes, so it is replaced on the next
   * turn of this event loop, before any later read of the socket. Cleaning up stays the bridge's: on every close
   * it unregisters the socket's consumers. Any other failure is logged in one line and closes the socket.
   */
  private static void quietAborts(Vertx vertx, SockJSSocket socket) {
    vertx.getOrCreateContext().runOnContext(v -> socket.exceptionHandler(failure -> {
      if (Responses.closedByClient(failure)) {
        Responses.clientAborted(socket.routingContext());
      } else {
        LOG.warn("eventbus: SockJS socket of {} failed: {}", socket.remoteAddress(), Describe.failure(failure));
        socket.close();
      }
    }));
  }

  private static HttpServerOptions limitWebSockets(HttpServerOptions options, BridgeLimits limits) {
    return options.setMaxWebSocketFrameSize(limits.maxFrameBytes()).setMaxWebSocketMessageSize(limits.maxFrameBytes());
  }

  /**
   * The {@link Permissions} as SockJS bridge options. Its lists cannot tell a send from a publish (inbound is
   * either), so {@link #checkKind} refuses the wrong kind.
   */
  static SockJSBridgeOptions sockJsOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    Permissions.REQUEST_ADDRESSES.forEach(address -> options.addInboundPermitted(new PermittedOptions().setAddress(address)));
    options.addInboundPermitted(new PermittedOptions().setAddressRegex(Permissions.CHAT_ROOM_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Permissions.CHAT_ROOM_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Permissions.CHAT_WHO_REPLY_REGEX));
    return options;
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
