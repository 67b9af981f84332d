package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.ErrorCode;
import dev.vxnet.bus.ServiceCall;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The frames the TCP bridge writes, in the wire format of Vert.x's TCP event-bus bridge ({@code message},
 * {@code pong}, {@code err}). Error frames keep the library's {@code message} tokens ({@code access_denied},
 * {@code unknown_type}, ...) and add {@code code} (the vxnet error codes of docs/event-bus.md) and
 * {@code detail} (a sentence naming the field or rule). An error about a request carries the request's
 * reply address as {@code address}, so that the client fails that request rather than guessing which.
 */
final class Frames {

  private Frames() {
  }

  /** 4-byte big-endian length, then the UTF-8 JSON. */
  static Buffer encode(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(4 + json.length).appendInt(json.length).appendBytes(json);
  }

  static JsonObject pong() {
    return new JsonObject().put("type", "pong");
  }

  /** A message that arrived at {@code address}: a consumer's delivery, or the reply to a client's request. */
  static JsonObject message(String address, Message<?> message) {
    JsonObject frame = new JsonObject().put("type", "message").put("address", address).put("send", message.isSend());
    if (message.replyAddress() != null) {
      frame.put("replyAddress", message.replyAddress());
    }
    if (!message.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      for (Map.Entry<String, String> header : message.headers()) {
        headers.put(header.getKey(), header.getValue());
      }
      frame.put("headers", headers);
    }
    if (message.body() != null) {
      frame.put("body", message.body());
    }
    return frame;
  }

  static JsonObject err(String token, ErrorCode code, String detail, String address, String replyAddress) {
    return err(token, code.name(), detail, address, replyAddress);
  }

  /** {@code code} as on the wire: a reply's code is passed on as it came, possibly one this version does not know. */
  private static JsonObject err(String token, String code, String detail, String address, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "err").put("message", token).put("code", code).put("detail", detail);
    if (replyAddress != null) {
      frame.put("address", replyAddress);
    }
    if (address != null) {
      frame.put("sourceAddress", address);
    }
    return frame;
  }

  static JsonObject invalid(BridgeFrame.Invalid invalid) {
    return err(invalid.token, ErrorCode.BAD_REQUEST, invalid.getMessage(), invalid.address, invalid.replyAddress);
  }

  static JsonObject denied(Permissions.Action action, String address, String replyAddress) {
    return err("access_denied", ErrorCode.DENIED, action.name().toLowerCase() + " to " + address + " is not permitted on this bridge"
      + " (permitted: " + Permissions.permitted(action) + ")", address, replyAddress);
  }

  /** A request the bus could not answer, as the library reports it ({@code failureType}, {@code failureCode}) and more. */
  static JsonObject requestFailed(String address, String replyAddress, Throwable failure, long timeoutMs) {
    JsonObject error = ServiceCall.describe(address, timeoutMs, failure).getJsonObject("error");
    JsonObject frame = err(error.getString("message"), error.getString("code"), error.getString("message"), address, replyAddress);
    if (failure instanceof ReplyException reply) {
      frame.put("failureCode", reply.failureCode()).put("failureType", reply.failureType().name());
    }
    return frame;
  }
}
