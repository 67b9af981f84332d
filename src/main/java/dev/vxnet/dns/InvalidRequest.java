package dev.vxnet.dns;

/** A request field is not acceptable; the message names the field and what was expected. */
final class InvalidRequest extends RuntimeException {

  InvalidRequest(String field, String problem) {
    super(field + ": " + problem, null, false, false);
  }
}
