package dev.vxnet.dns.resolver;

/** One upstream did not give a usable answer; the message says how, for the error that lists every upstream tried. */
final class UpstreamFailure extends RuntimeException {

  UpstreamFailure(String message) {
    super(message, null, false, false);
  }
}
