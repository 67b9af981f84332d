package dev.vxnet.dns.wire;

/** A request field is not acceptable; the message names the field and what was expected. */
public final class InvalidRequest extends RuntimeException {

  public InvalidRequest(String field, String problem) {
    super(field + ": " + problem, null, false, false);
  }
}
