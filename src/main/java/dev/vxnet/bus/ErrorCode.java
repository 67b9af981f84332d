package dev.vxnet.bus;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every error code vxnet puts on the wire, with the HTTP status it maps to: the codes of the request/reply services
 * ({@code {"error":{"code":...}}} on the event bus, docs/event-bus.md) and those of the web servers' own answers
 * (docs/https.md). Codes are stable; a new one is added here and documented in docs/event-bus.md.
 */
public enum ErrorCode {

  // Any request/reply service.
  /** A field of the request is invalid; the message names it. */
  BAD_REQUEST(400),
  /** Refused by policy (the fetcher's SSRF guard); the message names the rule. */
  DENIED(403),
  /** No instance of the service is registered on any node ({@link ServiceCall}). */
  UNAVAILABLE(503),
  /** The service is at its limit of work in flight; nothing was done. */
  BUSY(503),
  /** A client is at a limit of its own (the bridge's {@code max_registrations}); nothing was done. */
  LIMIT(429),
  /** No answer within the caller's send timeout, or a fetch's own deadline. */
  TIMEOUT(504),
  /** A bug: the message says where. */
  INTERNAL(500),

  // The service reached an upstream that failed (docs/dns.md, docs/fetch.md).
  /** DNS: no upstream answered NOERROR or NXDOMAIN. */
  UPSTREAM_FAILED(502),
  /** Fetch: the host name does not resolve. */
  DNS(502),
  /** Fetch: the connection was refused or unreachable. */
  CONNECT(502),
  /** Fetch: the TLS handshake failed. */
  TLS(502),
  /** Fetch: the response body is larger than allowed (the bridge uses it for a client's frame over its limit). */
  TOO_LARGE(502),
  /** Fetch: more redirects than allowed. */
  REDIRECTS(502),
  /** Fetch: the origin broke the protocol or closed the connection mid-response. */
  UPSTREAM(502),

  // The web servers' own answers: the status's reason phrase in upper snake case.
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  REQUEST_TIMEOUT(408),
  REQUEST_ENTITY_TOO_LARGE(413),
  REQUESTED_RANGE_NOT_SATISFIABLE(416),
  INTERNAL_SERVER_ERROR(500),
  /** A feature this build cannot offer here (the fixture's {@code /brotli} where the Brotli library does not load). */
  NOT_IMPLEMENTED(501),
  SERVICE_UNAVAILABLE(503);

  /** Status of a code this version does not know (a newer service's): its upstream failed, as most codes say. */
  private static final int UNKNOWN_CODE_STATUS = 502;

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status (RFC 9110 section 15) of an answer with this code. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The code of a name on the wire, if this version knows it. */
  public static Optional<ErrorCode> of(String name) {
    return Arrays.stream(values()).filter(code -> code.name().equals(name)).findFirst();
  }

  /** The HTTP status of any code on the wire; 502 for one this version does not know. */
  public static int httpStatus(String name) {
    return of(name).map(ErrorCode::httpStatus).orElse(UNKNOWN_CODE_STATUS);
  }

  /**
   * The code of a web server's own answer with {@code status} (4xx or 5xx): the one listed here for that status
   * ({@link #BAD_REQUEST} for 400), else {@link #BAD_REQUEST} for another 4xx and {@link #INTERNAL_SERVER_ERROR} for
   * another 5xx, the status itself being kept.
   */
  public static ErrorCode ofHttpStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 408 -> REQUEST_TIMEOUT;
      case 413 -> REQUEST_ENTITY_TOO_LARGE;
      case 416 -> REQUESTED_RANGE_NOT_SATISFIABLE;
      case 501 -> NOT_IMPLEMENTED;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> status < 500 ? BAD_REQUEST : INTERNAL_SERVER_ERROR;
    };
  }
}
