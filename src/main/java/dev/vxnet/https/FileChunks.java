package dev.vxnet.https;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends a byte range of a file as a response body in chunks of up to {@link #CHUNK_BYTES} bytes, read into pooled
 * direct buffers on the response's event loop, where {@code sendfile(2)} cannot be used (TLS, HTTP/2). Vert.x's
 * {@code sendFile} reads such files in 8 KiB chunks on HTTP/1.1 over TLS ({@code VertxConnection.sendFile}, a constant
 * there; on HTTP/2 through an {@code AsyncFile} on a worker thread): 128 reads and chunk writes per MiB, which the
 * https-1m profile found to be 20 % of the time (docs/profiles.md); this makes 16 of each. Measured on the https-1m row
 * (docs/benchmarks.md): chunks of 128 KiB made 1.4 to 1.6 times Vert.x's throughput on epoll, and 64 KiB ones
 * 0.96-1.09 of nginx on epoll and 1.06-1.09 on io_uring, against 0.64-0.78 with Vert.x's {@code sendFile} there.
 * Reading a file on the event loop is what Netty's {@code ChunkedNioFile} under Vert.x's {@code sendFile} does too;
 * files served this way are in the page cache after their first request.
 *
 * <p>Backpressure: at most {@link #MAX_IN_FLIGHT} chunks are written and not yet sent; the next is read when one of them
 * has been sent (or the response's drain handler says the connection can take more). Each chunk's buffer is released
 * once its write completed; a failed write (the client went away) closes the file and fails the result. A file that
 * is shorter than its lookup said when it is read resets the response: its {@code Content-Length} was already sent.
 */
final class FileChunks {

  /**
   * Bytes read and written per chunk: 4 TLS records of 16 KiB. 128 KiB chunks measured the same on epoll but slower
   * on io_uring (0.74-0.94 of nginx, twice the CPU per request and p99 twice as long; docs/benchmarks.md).
   */
  static final int CHUNK_BYTES = 64 * 1024;
  /**
   * Chunks written but not yet sent, at most: a client that reads slowly or not at all holds 128 KiB of direct memory
   * per response (Vert.x's write queue alone would take 16 writes before it reports itself full).
   */
  static final int MAX_IN_FLIGHT = 2;

  private final HttpServerResponse response;
  private final FileChannel file;
  private final Promise<Void> done = Promise.promise();
  private long position;
  private long remaining;
  private int inFlight;
  private boolean ending;
  private boolean pumping;
  private boolean again;

  private FileChunks(HttpServerResponse response, FileChannel file, long offset, long length) {
    this.response = response;
    this.file = file;
    this.position = offset;
    this.remaining = length;
  }

  /**
   * Sends {@code length} bytes of {@code path} from byte {@code offset} as the body of {@code response}, with a
   * {@code Content-Length} of {@code length}, then ends it.
   *
   * @return completes when the response has ended; fails with the {@link IOException} of an open or read that failed
   *         (before any byte was sent for an open, so the caller can still answer with an error), or with the write's
   *         failure
   */
  static Future<Void> send(HttpServerResponse response, Path path, long offset, long length) {
    FileChannel file;
    try {
      file = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
    FileChunks chunks = new FileChunks(response, file, offset, length);
    response.drainHandler(v -> chunks.pump());
    chunks.pump();
    return chunks.done.future();
  }

  /**
   * Reads and writes chunks while fewer than {@link #MAX_IN_FLIGHT} are written but not yet sent; called again by each
   * write's completion and by the drain handler. A completion that comes back inside a write (the socket took it at
   * once) only marks another round, so that a long file is not pumped by recursion.
   */
  private void pump() {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        pumpOnce();
      } while (again);
    } finally {
      pumping = false;
    }
  }

  private void pumpOnce() {
    ByteBuf chunk = null;
    try {
      while (remaining > 0 && inFlight < MAX_IN_FLIGHT && !response.writeQueueFull() && !done.future().isComplete()) {
        chunk = read((int) Math.min(CHUNK_BYTES, remaining));
        Future<Void> write = response.write(BufferInternal.buffer(chunk));
        ByteBuf sent = chunk;
        chunk = null; // from here on the write's completion releases it
        inFlight++;
        write.onComplete(written -> {
          sent.release(); // Vert.x writes an unreleasable view of it: the buffer is ours to release
          inFlight--;
          if (written.failed()) {
            finish(written.cause());
          } else {
            pump();
          }
        });
      }
      if (remaining == 0 && !ending && !done.future().isComplete()) {
        ending = true;
        closeFile();
        response.end().onComplete(done);
      }
    } catch (IOException e) {
      response.reset();
      finish(e);
    } catch (RuntimeException e) { // the response refused the write (already ended, or closed): nothing more to send
      if (chunk != null) {
        chunk.release();
      }
      finish(e);
    }
  }

  private ByteBuf read(int bytes) throws IOException {
    ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(bytes);
    try {
      while (chunk.writerIndex() < bytes) {
        int read = chunk.writeBytes(file, position, bytes - chunk.writerIndex());
        if (read < 0) {
          throw new EOFException("the file ended " + remaining + " bytes before the length it was served with");
        }
        position += read;
        remaining -= read;
      }
      return chunk;
    } catch (IOException e) {
      chunk.release();
      throw e;
    }
  }

  private void finish(Throwable failure) {
    closeFile();
    done.tryFail(failure);
  }

  private void closeFile() {
    try {
      file.close();
    } catch (IOException ignored) {
      // read-only: nothing was lost
    }
  }
}
