package dev.vxnet.load;

/** A command line {@code vxnet load} cannot run: the message names the option and what it expected. */
final class BadOption extends Exception {

  BadOption(String message) {
    super(message, null, false, false);
  }

  static BadOption expected(Option option, String expected, String got) {
    return new BadOption(option.flag() + ": expected " + expected + ", got '" + got + "'");
  }
}
