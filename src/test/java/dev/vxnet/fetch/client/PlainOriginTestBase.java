package dev.vxnet.fetch.client;

import org.junit.jupiter.api.BeforeEach;

/** Each test gets a fresh plain-HTTP origin on 127.0.0.1 (so that its counters are the test's alone). */
public abstract class PlainOriginTestBase extends FetchTestBase {

  protected Origin origin;
  protected int port;
  /** {@code http://127.0.0.1:<port>} */
  protected String base;

  @BeforeEach
  protected void startPlainOrigin() {
    origin = fixture.plainOrigin();
    port = origin.port();
    base = "http://127.0.0.1:" + port;
  }
}
