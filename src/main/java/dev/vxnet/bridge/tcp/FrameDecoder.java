package dev.vxnet.bridge.tcp;

import io.vertx.core.buffer.Buffer;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Cuts a byte stream into the TCP bridge's frames: a 4-byte big-endian length, then that many bytes of
 * payload. A length above {@code maxFrameBytes} is reported once through {@code onOversize} (with the
 * announced length, read as unsigned) before any of its payload is buffered, and the decoder stops: the
 * stream has no frame boundary after it. So at most one frame plus the last chunk read is ever held.
 * While paused, complete frames stay buffered; the caller also pauses the socket so that no more arrive.
 */
final class FrameDecoder {

  private final int maxFrameBytes;
  private final Consumer<Buffer> onFrame;
  private final LongConsumer onOversize;
  private Buffer pending = Buffer.buffer();
  private int offset;
  private boolean paused;
  private boolean draining;
  private boolean failed;

  FrameDecoder(int maxFrameBytes, Consumer<Buffer> onFrame, LongConsumer onOversize) {
    this.maxFrameBytes = maxFrameBytes;
    this.onFrame = onFrame;
    this.onOversize = onOversize;
  }

  void feed(Buffer chunk) {
    if (failed) {
      return;
    }
    if (offset == pending.length()) {
      pending = chunk.copy();
      offset = 0;
    } else {
      pending.appendBuffer(chunk);
    }
    drain();
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    drain();
  }

  /** Bytes received and not yet handed out as frames. */
  int buffered() {
    return pending.length() - offset;
  }

  private void drain() {
    if (draining) {
      return; // resumed from inside onFrame: the loop below carries on
    }
    draining = true;
    try {
      while (!paused && !failed && buffered() >= 4) {
        long length = Integer.toUnsignedLong(pending.getInt(offset));
        if (length > maxFrameBytes) {
          failed = true;
          pending = Buffer.buffer();
          offset = 0;
          onOversize.accept(length);
          return;
        }
        if (buffered() - 4 < length) {
          break;
        }
        int start = offset + 4;
        offset = start + (int) length;
        onFrame.accept(pending.getBuffer(start, offset));
      }
      compact();
    } finally {
      draining = false;
    }
  }

  /** Drops the bytes already handed out, so that a long-lived connection does not grow its buffer. */
  private void compact() {
    if (offset > 0) {
      pending = offset == pending.length() ? Buffer.buffer() : pending.getBuffer(offset, pending.length());
      offset = 0;
    }
  }
}
