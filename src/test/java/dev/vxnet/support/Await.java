package dev.vxnet.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/** Waits for a real condition, polling, with a deadline: the test fails with {@code what} if it never holds. */
public final class Await {

  private Await() {
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
      }
      try {
        Thread.sleep(10); // polling interval of the wait, not a synchronisation guess
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }

  /** Until a connect to 127.0.0.1:{@code port} is refused: nothing listens there any more. */
  public static void refusing(int port, Duration timeout) {
    until("port " + port + " refusing connections", timeout, () -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        return false;
      } catch (ConnectException refused) {
        return true;
      } catch (IOException other) {
        return false;
      }
    });
  }

  /** Evaluates {@code value} until it stops throwing, and returns it. */
  public static <T> T result(String what, Duration timeout, Callable<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return value.call();
      } catch (Exception | AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what, e);
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
  }
}
