package dev.vxnet.bridge.tcp;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BridgeFrameTest {

  private static BridgeFrame parse(String json) throws BridgeFrame.Invalid {
    return BridgeFrame.parse(Buffer.buffer(json), 10_000);
  }

  private static BridgeFrame.Invalid invalid(String json) {
    return assertThrows(BridgeFrame.Invalid.class, () -> parse(json));
  }

  @Test
  void readsARequest() throws Exception {
    BridgeFrame frame = parse("{\"type\":\"send\",\"address\":\"vxnet.stats\",\"replyAddress\":\"r-1\",\"body\":{\"timeout_ms\":50},"
      + "\"headers\":{\"timeout\":500,\"trace\":\"abc\"}}");
    assertEquals(BridgeFrame.Type.SEND, frame.type());
    assertEquals("vxnet.stats", frame.address());
    assertEquals("r-1", frame.replyAddress());
    assertEquals(50, ((io.vertx.core.json.JsonObject) frame.body()).getInteger("timeout_ms"));
    assertEquals(500, frame.timeoutMs());
    assertEquals(Map.of("trace", "abc"), frame.headers());
  }

  @Test
  void aPingNeedsNoAddress() throws Exception {
    BridgeFrame frame = parse("{\"type\":\"ping\"}");
    assertEquals(BridgeFrame.Type.PING, frame.type());
    assertNull(frame.address());
    assertNull(frame.timeoutMs());
  }

  @Test
  void namesWhatIsWrong() {
    assertEquals("invalid_json", invalid("{\"type\":").token);
    assertEquals("invalid_json", invalid("").token);
    assertEquals("frame payload: expected a JSON object", invalid("[1,2]").getMessage());
    assertEquals("missing_type", invalid("{\"address\":\"a\"}").token);
    BridgeFrame.Invalid unknown = invalid("{\"type\":\"rec\",\"address\":\"a\"}");
    assertEquals("unknown_type", unknown.token);
    assertTrue(unknown.getMessage().contains("got \"rec\""), unknown.getMessage());
    assertEquals("a", unknown.address, "the address is reported when it could be read");
    assertEquals("missing_address", invalid("{\"type\":\"publish\"}").token);
    assertEquals("address: expected a string of 1 to 200 characters, got 42", invalid("{\"type\":\"send\",\"address\":42}").getMessage());
    assertEquals("invalid_frame", invalid("{\"type\":\"send\",\"address\":\"" + "a".repeat(201) + "\"}").token);
    assertEquals("replyAddress: only a send can ask for a reply",
      invalid("{\"type\":\"publish\",\"address\":\"a\",\"replyAddress\":\"r\"}").getMessage());
    assertEquals("headers: expected a JSON object", invalid("{\"type\":\"ping\",\"headers\":[]}").getMessage());
    assertEquals("headers.x: expected a string, got 1", invalid("{\"type\":\"ping\",\"headers\":{\"x\":1}}").getMessage());
    assertEquals("body: number out of range (a 64-bit integer or a double)",
      invalid("{\"type\":\"send\",\"address\":\"a\",\"body\":123456789012345678901234567890}").getMessage());
  }

  @Test
  void aTimeoutHeaderIsBoundedByTheBridgeTimeout() {
    BridgeFrame.Invalid tooLong = invalid("{\"type\":\"send\",\"address\":\"a\",\"replyAddress\":\"r\",\"headers\":{\"timeout\":10001}}");
    assertEquals("headers.timeout: expected an integer from 1 to 10000 (milliseconds), got 10001", tooLong.getMessage());
    assertEquals("r", tooLong.replyAddress, "the failing request can be told apart");
    assertEquals("invalid_frame", invalid("{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":\"5\"}}").token);
  }
}
