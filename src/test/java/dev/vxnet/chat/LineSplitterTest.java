package dev.vxnet.chat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LineSplitterTest {

  private final List<String> lines = new ArrayList<>();
  private int overlong;
  private final LineSplitter splitter = new LineSplitter(5, lines::add, () -> overlong++);

  @Test
  void linesSplitAcrossChunksAndCrLf() {
    splitter.feed(Buffer.buffer("ab"));
    splitter.feed(Buffer.buffer("c\r\nde\nf"));
    splitter.feed(Buffer.buffer("\n"));
    assertEquals(List.of("abc", "de", "f"), lines);
  }

  @Test
  void theLimitCountsBytesWithoutTheLineEnd() {
    splitter.feed(Buffer.buffer("12345\r\n12345\n123456\n"));
    assertEquals(List.of("12345", "12345"), lines);
    assertEquals(1, overlong);
  }

  @Test
  void anOverlongLineIsSkippedToItsEndAndReportedOnce() {
    splitter.feed(Buffer.buffer("0123456789"));
    splitter.feed(Buffer.buffer("0123456789"));
    splitter.feed(Buffer.buffer("xyz\nok\n"));
    assertEquals(List.of("ok"), lines);
    assertEquals(1, overlong);
  }

  @Test
  void utf8IsDecodedAndCountedInBytes() {
    splitter.feed(Buffer.buffer("h\u00e9\u00e9\n\u00e9\u00e9\u00e9\n")); // 5 bytes, then 6 bytes
    assertEquals(List.of("h\u00e9\u00e9"), lines);
    assertEquals(1, overlong);
  }
}
