package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * The bytes vxnet load sends: a pseudo-random sequence with a period of {@link #PERIOD} bytes (a prime, so that no
 * message or chunk size lines up with it), stored twice over so that any slice of up to PERIOD bytes starting inside
 * the first period is contiguous. A byte at stream offset {@code n} is {@code at(n)}: an echo that drops, repeats,
 * reorders or changes bytes no longer matches.
 */
final class Payload {

  static final int PERIOD = 65_521;
  /** Twice the period, as an array to copy from (fastest into any buffer) and as a direct buffer to slice from. */
  private static final byte[] ARRAY = create();
  // Slices are written to sockets, which release what they wrote: this buffer lives as long as the JVM.
  private static final ByteBuf BYTES = Unpooled.unreleasableBuffer(Unpooled.directBuffer(ARRAY.length).writeBytes(ARRAY));

  private Payload() {
  }

  private static byte[] create() {
    byte[] doubled = new byte[2 * PERIOD];
    new SplittableRandom(0x5eed_cafeL).nextBytes(doubled);
    System.arraycopy(doubled, 0, doubled, PERIOD, PERIOD);
    return doubled;
  }

  static int offset(long streamOffset) {
    return (int) Long.remainderUnsigned(streamOffset, PERIOD);
  }

  /** {@code length} (at most PERIOD) bytes from stream offset {@code streamOffset}, shared, not copied: never write to it. */
  static ByteBuf slice(long streamOffset, int length) {
    return BYTES.slice(offset(streamOffset), length);
  }

  /** Copies {@code length} (at most PERIOD) bytes of stream offset {@code streamOffset} into {@code into}. */
  static void copy(long streamOffset, ByteBuf into, int length) {
    into.writeBytes(ARRAY, offset(streamOffset), length);
  }

  /** The first {@code length} bytes of the stream (any length), copied. */
  static Buffer copyOf(int length) {
    ByteBuf copy = Unpooled.buffer(length);
    for (int done = 0; done < length; done += PERIOD) {
      copy(done, copy, Math.min(PERIOD, length - done));
    }
    return BufferInternal.buffer(copy);
  }

  /**
   * True when {@code length} (at most PERIOD) bytes of {@code data} from {@code index} are those of the stream offset.
   * Compared as NIO buffers, which the JDK does with vector instructions: ByteBufUtil.equals reads 8 bytes at a time
   * through bounds and reference-count checks, and took 70 % of the client's time in bulk mode.
   */
  static boolean matches(ByteBuf data, int index, long streamOffset, int length) {
    int offset = offset(streamOffset);
    if (data.nioBufferCount() == 1) {
      return data.internalNioBuffer(index, length).equals(ByteBuffer.wrap(ARRAY, offset, length));
    }
    return ByteBufUtil.equals(data, index, Unpooled.wrappedBuffer(ARRAY), offset, length);
  }
}
