package dev.vxnet.chat;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into UTF-8 lines ending in {@code \n}; a {@code \r} before it is dropped. A line of more
 * than {@code maxLineBytes} is reported once through {@code onOverlong} and skipped up to its end.
 */
final class LineSplitter {

  private final int maxLineBytes;
  private final Consumer<String> onLine;
  private final Runnable onOverlong;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean skipping;

  LineSplitter(int maxLineBytes, Consumer<String> onLine, Runnable onOverlong) {
    this.maxLineBytes = maxLineBytes;
    this.onLine = onLine;
    this.onOverlong = onOverlong;
  }

  void feed(Buffer chunk) {
    byte[] bytes = chunk.getBytes();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        append(bytes, start, i);
        if (!skipping) {
          endLine();
        }
        pending.reset();
        skipping = false;
        start = i + 1;
      }
    }
    append(bytes, start, bytes.length);
  }

  private void append(byte[] bytes, int from, int to) {
    if (skipping) {
      return;
    }
    pending.write(bytes, from, to - from);
    if (pending.size() > maxLineBytes + 1) { // + 1: room for a "\r" that is not counted
      skip();
    }
  }

  private void endLine() {
    byte[] line = pending.toByteArray();
    int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
    if (length > maxLineBytes) {
      skip();
    } else {
      onLine.accept(new String(line, 0, length, StandardCharsets.UTF_8));
    }
  }

  private void skip() {
    skipping = true;
    pending.reset();
    onOverlong.run();
  }
}
