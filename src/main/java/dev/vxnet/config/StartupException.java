package dev.vxnet.config;

/** Startup cannot continue; the message is the whole story, so no stack trace is printed. */
public class StartupException extends RuntimeException {

  public StartupException(String message) {
    super(message, null, false, false);
  }
}
