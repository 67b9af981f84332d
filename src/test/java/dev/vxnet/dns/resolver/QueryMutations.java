package dev.vxnet.dns.resolver;

import org.xbill.DNS.Type;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Seeded damage to well-formed DNS queries, for the fuzz tests of every face that reads client DNS messages
 * ({@link DnsFuzzTest} for Do53, {@code DohRoutesTest} for RFC 8484): the same seed gives the same messages.
 */
public final class QueryMutations {

  public static final int HEADER_BYTES = 12;

  private QueryMutations() {
  }

  /** Whether a listener must answer it: a whole header with QR clear (anything else is no query, and gets nothing). */
  public static boolean isQuery(byte[] message) {
    return message.length >= HEADER_BYTES && (message[2] & 0x80) == 0;
  }

  /** One of five kinds of damage to one of a few well-formed queries, or pure noise. */
  public static byte[] mutated(Random random, int i) {
    byte[] base = switch (random.nextInt(4)) {
      case 0 -> WireClient.query(i, "www.vxnet.test.", Type.A, 1232).toWire();
      case 1 -> WireClient.query(i, "big.vxnet.test.", Type.TXT, 0).toWire();
      case 2 -> WireClient.query(i, "_sip._tcp.vxnet.test.", Type.SRV, 4096).toWire();
      default -> WireClient.query(i, "missing.vxnet.test.", Type.AAAA, 512).toWire();
    };
    byte[] message;
    switch (random.nextInt(6)) {
      case 0 -> { // a few bytes flipped anywhere past the ID
        message = base.clone();
        for (int n = 1 + random.nextInt(4); n > 0; n--) {
          int at = 2 + random.nextInt(message.length - 2);
          message[at] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> message = Arrays.copyOf(base, HEADER_BYTES + random.nextInt(base.length - HEADER_BYTES)); // cut off
      case 2 -> { // bytes after the last record
        message = Arrays.copyOf(base, base.length + 1 + random.nextInt(40));
        for (int at = base.length; at < message.length; at++) {
          message[at] = (byte) random.nextInt(256);
        }
      }
      case 3 -> { // header counts rewritten
        message = base.clone();
        for (int at = 4; at < HEADER_BYTES; at += 2) {
          if (random.nextBoolean()) {
            message[at] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
            message[at + 1] = (byte) random.nextInt(4);
          }
        }
      }
      case 4 -> { // flags rewritten, QR clear (opcode, TC, AA, Z, RCODE bits)
        message = base.clone();
        message[2] = (byte) (random.nextInt(256) & 0x7F);
        message[3] = (byte) random.nextInt(256);
      }
      default -> { // noise of any length, the ID kept so that an answer can be told apart
        message = new byte[random.nextInt(80)];
        random.nextBytes(message);
        if (message.length >= 2) {
          message[0] = base[0];
          message[1] = base[1];
        }
      }
    }
    return message;
  }

  /** At most the first 80 bytes in hex, for messages. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 80));
  }
}
