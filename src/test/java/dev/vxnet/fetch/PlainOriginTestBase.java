package dev.vxnet.fetch;

import org.junit.jupiter.api.BeforeEach;

/** Each test gets a fresh plain-HTTP origin on 127.0.0.1 (so that its counters are the test's alone). */
abstract class PlainOriginTestBase extends FetchTestBase {

  Origin origin;
  int port;
  /** {@code http://127.0.0.1:<port>} */
  String base;

  @BeforeEach
  void startPlainOrigin() {
    origin = fixture.plainOrigin();
    port = origin.port();
    base = "http://127.0.0.1:" + port;
  }
}
