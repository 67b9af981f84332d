package dev.vxnet.dns.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * DNS messages over a byte stream (TCP, TLS), RFC 1035 section 4.2.2 and RFC 7766 section 8: each message is
 * preceded by its length as a 2-byte big-endian number, and several may follow each other on one connection (in
 * either direction, answers in any order). Feed the stream's buffers to {@link #handle}; each whole message goes to
 * the handler, a zero-length one as an empty array.
 */
public final class StreamFrames implements Handler<Buffer> {

  /** The longest message a 2-byte length allows. */
  public static final int MAX_MESSAGE = 65_535;

  private final RecordParser parser = RecordParser.newFixed(2);
  private boolean lengthNext = true;

  public StreamFrames(Handler<byte[]> messages) {
    parser.handler(frame -> {
      if (lengthNext) {
        int length = frame.getUnsignedShort(0);
        if (length == 0) {
          messages.handle(new byte[0]);
          return;
        }
        parser.fixedSizeMode(length);
      } else {
        parser.fixedSizeMode(2);
        messages.handle(frame.getBytes());
      }
      lengthNext = !lengthNext;
    });
  }

  @Override
  public void handle(Buffer data) {
    parser.handle(data);
  }

  /** {@code message} with its 2-byte length in front. */
  public static Buffer frame(byte[] message) {
    return Buffer.buffer(message.length + 2).appendUnsignedShort(message.length).appendBytes(message);
  }
}
