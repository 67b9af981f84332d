package dev.vxnet.load;

/**
 * The operations one session has in flight, by slot (0 to window - 1): the tag that identifies each answer (a UDP
 * sequence number, a DNS message ID), when it was due and when it was sent. Answers may come in any order; a slot
 * is reused once its answer came or its operation failed.
 */
final class InFlight {

  private final int[] tags;
  private final boolean[] busy;
  private final long[] intended;
  private final long[] sentAt;
  private final int[] free;
  private int freeCount;

  InFlight(int window) {
    tags = new int[window];
    busy = new boolean[window];
    intended = new long[window];
    sentAt = new long[window];
    free = new int[window];
    for (int i = 0; i < window; i++) {
      free[i] = window - 1 - i;
    }
    freeCount = window;
  }

  /** The slot the next operation takes; call only while fewer than window are in flight. */
  int next() {
    return free[freeCount - 1];
  }

  void take(int slot, int tag, long intendedAt, long now) {
    freeCount--;
    busy[slot] = true;
    tags[slot] = tag;
    intended[slot] = intendedAt;
    sentAt[slot] = now;
  }

  /** True when {@code slot} is in flight with this tag: the answer is the awaited one. */
  boolean awaits(int slot, int tag) {
    return slot >= 0 && slot < busy.length && busy[slot] && tags[slot] == tag;
  }

  boolean busy(int slot) {
    return busy[slot];
  }

  int tag(int slot) {
    return tags[slot];
  }

  int window() {
    return busy.length;
  }

  void release(int slot) {
    busy[slot] = false;
    free[freeCount++] = slot;
  }

  long intended(int slot) {
    return intended[slot];
  }

  long sentAt(int slot) {
    return sentAt[slot];
  }

  /** A slot in flight since before {@code deadline} (nanoTime), or -1. */
  int expired(long deadline) {
    if (freeCount == busy.length) {
      return -1;
    }
    for (int slot = 0; slot < busy.length; slot++) {
      if (busy[slot] && sentAt[slot] - deadline < 0) {
        return slot;
      }
    }
    return -1;
  }
}
