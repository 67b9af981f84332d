package dev.vxnet.bridge.tcp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One frame a client sent, checked field by field: {@code {"type": "send" | "publish" | "register" |
 * "unregister" | "ping", "address": ..., "body": ..., "replyAddress": ..., "headers": {...}}}, the wire
 * format of Vert.x's TCP event-bus bridge. {@code headers} are strings, except {@code timeout}: the send
 * timeout in milliseconds the client asks for, at most the bridge's {@code request_timeout_ms}.
 */
record BridgeFrame(Type type, String address, String replyAddress, Object body, Map<String, String> headers,
                   Integer timeoutMs) {

  static final int MAX_ADDRESS_CHARS = 200;
  static final Set<String> TYPES = Set.of("send", "publish", "register", "unregister", "ping");

  enum Type { SEND, PUBLISH, REGISTER, UNREGISTER, PING }

  /** A frame that cannot be acted on: {@code message} is the protocol's token, {@code detail} names the field. */
  static final class Invalid extends Exception {
    final String token;
    final String address;
    final String replyAddress;

    Invalid(String token, String detail, String address, String replyAddress) {
      super(detail, null, false, false);
      this.token = token;
      this.address = address;
      this.replyAddress = replyAddress;
    }
  }

  static BridgeFrame parse(Buffer payload, int maxTimeoutMs) throws Invalid {
    Object value;
    try {
      value = Json.decodeValue(payload);
    } catch (DecodeException e) {
      throw new Invalid("invalid_json", "frame payload is not JSON: " + firstLine(e.getMessage()), null, null);
    }
    if (!(value instanceof JsonObject json)) {
      throw new Invalid("invalid_json", "frame payload: expected a JSON object", null, null);
    }
    String replyAddress = optionalAddress(json, "replyAddress", null, null);
    String address = optionalAddress(json, "address", null, replyAddress);
    Object type = json.getValue("type");
    if (type == null) {
      throw new Invalid("missing_type", "type: required, one of " + TYPES, address, replyAddress);
    }
    if (!(type instanceof String name) || !TYPES.contains(name)) {
      throw new Invalid("unknown_type", "type: expected one of " + TYPES + ", got " + shortJson(type), address, replyAddress);
    }
    if (address == null && !name.equals("ping")) {
      throw new Invalid("missing_address", "address: required for " + name, null, replyAddress);
    }
    if (replyAddress != null && !name.equals("send")) {
      throw new Invalid("invalid_frame", "replyAddress: only a send can ask for a reply", address, null);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Integer timeoutMs = null;
    Object rawHeaders = json.getValue("headers");
    if (rawHeaders != null) {
      if (!(rawHeaders instanceof JsonObject given)) {
        throw new Invalid("invalid_frame", "headers: expected a JSON object", address, replyAddress);
      }
      for (String key : given.fieldNames()) {
        Object header = given.getValue(key);
        if (key.equals("timeout")) {
          if (!(header instanceof Integer t && t >= 1 && t <= maxTimeoutMs)) {
            throw new Invalid("invalid_frame", "headers.timeout: expected an integer from 1 to " + maxTimeoutMs
              + " (milliseconds), got " + shortJson(header), address, replyAddress);
          }
          timeoutMs = (Integer) header;
        } else if (header instanceof String text) {
          headers.put(key, text);
        } else {
          throw new Invalid("invalid_frame", "headers." + key + ": expected a string, got " + shortJson(header), address, replyAddress);
        }
      }
    }
    Object body = json.getValue("body");
    if (body instanceof Number number && !(number instanceof Integer || number instanceof Long || number instanceof Double)) {
      throw new Invalid("invalid_frame", "body: number out of range (a 64-bit integer or a double)", address, replyAddress);
    }
    return new BridgeFrame(Type.valueOf(name.toUpperCase(Locale.ROOT)), address, replyAddress, body, headers, timeoutMs);
  }

  private static String optionalAddress(JsonObject json, String field, String address, String replyAddress) throws Invalid {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || text.isEmpty() || text.length() > MAX_ADDRESS_CHARS) {
      throw new Invalid("invalid_frame", field + ": expected a string of 1 to " + MAX_ADDRESS_CHARS + " characters, got "
        + shortJson(value), address, replyAddress);
    }
    return text;
  }

  /** A value as it appears in an error message, cut short: the client sent it and may have sent a lot. */
  private static String shortJson(Object value) {
    String text = Json.encode(value);
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
