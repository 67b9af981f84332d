package dev.vxnet.load;

/** Why an operation (or a connection) failed; each failure counts once in {@code errors}. */
enum ErrorKind {
  /** The connection (or socket) could not be opened within --connect-timeout. */
  CONNECT,
  /** The connection closed, or failed, with operations in flight. */
  CLOSED,
  /** No complete answer within --timeout. */
  TIMEOUT,
  /** The answer came back with bytes other than those sent (echo) or expected. */
  CORRUPT,
  /** Bytes or answers that nothing was waiting for (an echo server sending more than it got). */
  UNEXPECTED,
  /** A UDP datagram, or a chat line to one client, that never arrived within --timeout. */
  LOST,
  /** An HTTP response that does not parse (its status line, headers or framing: RFC 9112). */
  MALFORMED,
  /** An HTTP status other than 2xx or 3xx. */
  STATUS,
  /** A DNS answer with an error code (SERVFAIL, REFUSED, FORMERR ...; NXDOMAIN is an answer). */
  RCODE,
  /** A DNS answer that does not match its query (other question, not a response, unparseable). */
  MISMATCH,
  /** Sending failed locally, or the request could not be made. */
  SEND;

  String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
