package dev.vxnet.bridge.tcp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest {

  private final List<String> frames = new ArrayList<>();
  private final List<Long> oversize = new ArrayList<>();
  private final FrameDecoder decoder = new FrameDecoder(100, frame -> frames.add(frame.toString()), oversize::add);

  private static Buffer frame(String json) {
    return Frames.encode(new JsonObject(json));
  }

  @Test
  void decodesWhatFramesEncodes() {
    Buffer bytes = frame("{\"type\":\"ping\"}");
    assertEquals(4 + "{\"type\":\"ping\"}".length(), bytes.length());
    assertEquals(bytes.length() - 4, bytes.getInt(0));
    decoder.feed(bytes);
    assertEquals(List.of("{\"type\":\"ping\"}"), frames);
    assertEquals(0, decoder.buffered());
  }

  @Test
  void reassemblesFramesSplitAnywhereAndSeparatesFramesSharingAChunk() {
    Buffer stream = Buffer.buffer().appendBuffer(frame("{\"a\":1}")).appendBuffer(frame("{\"b\":\"é\"}")).appendBuffer(frame("{}"));
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1));
    }
    assertEquals(List.of("{\"a\":1}", "{\"b\":\"é\"}", "{}"), frames);
    frames.clear();
    decoder.feed(stream);
    assertEquals(3, frames.size());
    assertEquals(0, decoder.buffered());
  }

  @Test
  void aLengthAboveTheLimitIsReportedBeforeItsPayloadAndStopsTheDecoder() {
    decoder.feed(Buffer.buffer().appendInt(101).appendString("x".repeat(50)));
    assertEquals(List.of(101L), oversize);
    assertEquals(0, decoder.buffered(), "nothing of the oversize frame is kept");
    decoder.feed(frame("{}"));
    assertTrue(frames.isEmpty(), "no frame boundary after an oversize length: nothing more is decoded");
    assertEquals(List.of(101L), oversize, "reported once");
  }

  @Test
  void aNegativeLengthIsAHugeUnsignedOne() {
    decoder.feed(Buffer.buffer().appendInt(-1));
    assertEquals(List.of(0xFFFF_FFFFL), oversize);
  }

  @Test
  void exactlyTheLimitIsAccepted() {
    String json = "{\"t\":\"" + "x".repeat(100 - 8) + "\"}";
    assertEquals(100, json.length());
    decoder.feed(Buffer.buffer().appendInt(100).appendString(json));
    assertEquals(List.of(json), frames);
    assertTrue(oversize.isEmpty());
  }

  @Test
  void anEmptyFrameIsHandedOutForTheSessionToRefuse() {
    decoder.feed(Buffer.buffer().appendInt(0).appendBuffer(frame("{}")));
    assertEquals(List.of("", "{}"), frames);
  }

  @Test
  void pausedFramesStayBufferedUntilResumed() {
    decoder.pause();
    decoder.feed(Buffer.buffer().appendBuffer(frame("{\"n\":1}")).appendBuffer(frame("{\"n\":2}")));
    assertTrue(frames.isEmpty());
    assertEquals(2 * (4 + 7), decoder.buffered());
    decoder.resume();
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), frames);
  }

  @Test
  void pausingFromTheFrameHandlerStopsAtThatFrame() {
    List<String> seen = new ArrayList<>();
    FrameDecoder[] self = new FrameDecoder[1];
    self[0] = new FrameDecoder(100, frame -> {
      seen.add(frame.toString());
      self[0].pause();
    }, length -> { });
    self[0].feed(Buffer.buffer().appendBuffer(frame("{\"n\":1}")).appendBuffer(frame("{\"n\":2}")).appendBuffer(frame("{\"n\":3}")));
    assertEquals(List.of("{\"n\":1}"), seen);
    self[0].resume();
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), seen);
    self[0].resume();
    self[0].resume();
    assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), seen);
    assertEquals(0, self[0].buffered());
  }
}
