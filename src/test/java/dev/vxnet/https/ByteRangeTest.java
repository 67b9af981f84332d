package dev.vxnet.https;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ByteRangeTest {

  @Test
  void singleRanges() {
    assertEquals(new ByteRange(0, 9), ByteRange.parse("bytes=0-9", 100));
    assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=90-", 100));
    assertEquals(new ByteRange(90, 99), ByteRange.parse("bytes=-10", 100));
    assertEquals(new ByteRange(0, 99), ByteRange.parse("bytes=-500", 100), "a suffix longer than the file is the file");
    assertEquals(new ByteRange(50, 99), ByteRange.parse("bytes=50-5000", 100), "the end is clipped to the file");
    assertEquals(new ByteRange(5, 5), ByteRange.parse("bytes = 5 - 5", 100));
    assertEquals(10, new ByteRange(0, 9).length());
  }

  @Test
  void unsatisfiableRanges() {
    assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=100-", 100));
    assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=100-200", 100));
    assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=-0", 100));
    assertEquals(ByteRange.UNSATISFIABLE, ByteRange.parse("bytes=0-", 0), "an empty file has no bytes to give");
  }

  @Test
  void headersThatAreIgnored() {
    assertNull(ByteRange.parse(null, 100));
    assertNull(ByteRange.parse("bytes=9-5", 100), "last before first is invalid syntax");
    assertNull(ByteRange.parse("bytes=0-1,5-6", 100), "several ranges: the whole file is sent");
    assertNull(ByteRange.parse("items=0-1", 100));
    assertNull(ByteRange.parse("bytes=-", 100));
    assertNull(ByteRange.parse("bytes=abc-", 100));
    assertNull(ByteRange.parse("bytes=99999999999999999999-", 100));
  }
}
