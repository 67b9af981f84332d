package dev.vxnet.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.Vertx;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's share of a run: its sessions, its part of --count, its counters and its latency recorder. The
 * counters are written on the worker's event loop only; {@link Progress} reads {@link #operations} and
 * {@link #errors} while the run goes (values a moment old are fine there), the rest is read after {@link #done()}.
 */
final class Worker extends VerticleBase {

  /** Latencies are recorded in nanoseconds up to an hour, three significant digits. */
  static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

  final Settings settings;
  final Load load;
  final int firstSession;
  final int sessionCount;
  final SingleWriterRecorder latency = new SingleWriterRecorder(1, HIGHEST_NANOS, 3);

  /** Measured operations that succeeded. */
  long operations;
  /** Requests sent (datagrams, chat lines) in the measured time: what loss is counted against. */
  long sent;
  long errors;
  final long[] errorKinds = new long[ErrorKind.values().length];
  final String[] firstErrors = new String[ErrorKind.values().length];
  /** Bytes of the measured operations' answers. */
  long bytes;
  /** nanoTime of the last measured success. */
  long lastSuccess;
  /** Protocol-specific counts (HTTP status codes, DNS response codes, reordered datagrams ...). */
  final Map<String, Long> tallies = new TreeMap<>();

  private final long intervalNanos;
  private final List<Session> sessions = new ArrayList<>();
  private final Promise<Void> done = Promise.promise();
  private long quota;
  private long measureStart;
  private long measureEnd;
  private long inFlight;
  private int openSessions;
  private boolean started;
  private boolean stopping;
  private boolean finished;
  private long scanTimer = -1;

  Worker(Settings settings, Load load, int firstSession, int sessionCount, long quota) {
    this.settings = settings;
    this.load = load;
    this.firstSession = firstSession;
    this.sessionCount = sessionCount;
    this.quota = settings.count() > 0 ? quota : -1;
    this.intervalNanos = settings.rate() > 0 ? Math.max(1, (long) (1e9 * settings.sessions() / settings.rate())) : 0;
  }

  /** Opens the sessions; succeeds when each has connected or failed (failures are counted as errors). */
  @Override
  public Future<?> start() {
    sessions.addAll(load.sessions(this, firstSession, sessionCount));
    List<Future<?>> opened = new ArrayList<>();
    for (Session session : sessions) {
      opened.add(session.open().onSuccess(ok -> openSessions++).onFailure(failure -> {
        session.markClosed(); // never begun: it is not one of the open sessions whose loss could end the run
        error(ErrorKind.CONNECT, Load.describe(failure));
      }));
    }
    return Future.join(opened).otherwiseEmpty();
  }

  int openSessions() {
    return openSessions;
  }

  /** Starts the load at {@code t0} (nanoTime, the same for every worker); call on this worker's context. */
  void go(long t0) {
    measureStart = t0 + (long) (settings.warmupS() * 1e9);
    measureEnd = settings.durationS() > 0 ? measureStart + (long) (settings.durationS() * 1e9) : Long.MAX_VALUE;
    started = true;
    if (openSessions == 0) {
      stopSending();
      return;
    }
    if (measureEnd != Long.MAX_VALUE) {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureEnd - System.nanoTime()) + 1), id -> stopSending());
    }
    long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.timeoutMs());
    scanTimer = vertx.setPeriodic(Math.max(1, Math.min(100, settings.timeoutMs() / 4)), id -> {
      long deadline = System.nanoTime() - timeoutNanos;
      for (Session session : sessions) {
        if (session.isOpen()) {
          session.expire(deadline);
        }
      }
    });
    // At a constant rate the sessions' schedules are spread evenly over one interval, not all due at t0.
    for (int i = 0; i < sessions.size(); i++) {
      Session session = sessions.get(i);
      if (session.isOpen()) {
        session.begin(t0 + intervalNanos * (firstSession + i) / settings.sessions());
      }
    }
  }

  Vertx vertx() {
    return vertx;
  }

  /** The context of this worker's event loop, where its sessions run. */
  Context eventLoop() {
    return context;
  }

  Future<Void> done() {
    return done.future();
  }

  long intervalNanos() {
    return intervalNanos;
  }

  boolean isStopping() {
    return stopping;
  }

  /** A timer on this worker's event loop (also when called from a Netty handler, outside any Vert.x context). */
  Timer timer(long delay, TimeUnit unit) {
    return ((ContextInternal) context).timer(delay, unit);
  }

  /** May a new operation start now? Takes it from this worker's share of --count when it is measured. */
  boolean take(long now) {
    if (stopping) {
      return false;
    }
    if (now - measureEnd >= 0) {
      stopSending();
      return false;
    }
    if (quota >= 0 && now - measureStart >= 0) {
      if (quota == 0) {
        stopSending();
        return false;
      }
      quota--;
    }
    inFlight++;
    return true;
  }

  /** A success: counted with its latency (from {@code intended}) when it was sent in the measured time. */
  void record(long intended, long sentAt, long answerBytes) {
    if (sentAt - measureStart >= 0) {
      long now = System.nanoTime();
      latency.recordValue(Math.min(Math.max(now - intended, 1), HIGHEST_NANOS));
      operations++;
      bytes += answerBytes;
      lastSuccess = now;
    }
  }

  /**
   * True from the end of the warm-up on: what the report counts (successes, errors, tallies, requests sent) happens
   * then, except connections that could not be opened, which count whenever they fail.
   */
  boolean measuring() {
    return started && System.nanoTime() - measureStart >= 0;
  }

  /** One more request sent (a datagram, a chat line), when measuring. */
  void sent() {
    if (measuring()) {
      sent++;
    }
  }

  void error(ErrorKind kind, String detail) {
    if (kind != ErrorKind.CONNECT && !measuring()) {
      return;
    }
    errors++;
    errorKinds[kind.ordinal()]++;
    if (firstErrors[kind.ordinal()] == null) {
      firstErrors[kind.ordinal()] = detail;
    }
  }

  /** Counts one {@code key} in the measured time. */
  void tally(String key) {
    if (measuring()) {
      tallies.merge(key, 1L, Long::sum);
    }
  }

  /** Counts one {@code key} whenever it happens (connections opened before the clock starts). */
  void tallyAlways(String key) {
    tallies.merge(key, 1L, Long::sum);
  }

  /** An operation taken by {@link #take} is over, whatever its outcome. */
  void ended() {
    inFlight--;
    if (stopping && inFlight == 0) {
      finish();
    }
  }

  void sessionLost() {
    if (--openSessions == 0) {
      stopSending();
    }
  }

  /** Nothing new starts; the run of this worker ends once what is in flight is answered or expired. */
  private void stopSending() {
    stopping = true;
    if (inFlight == 0) {
      finish();
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (scanTimer >= 0) {
      vertx.cancelTimer(scanTimer);
    }
    done.complete();
  }

  /**
   * Closes every session; call on this worker's context once every worker is done (a chat client of a finished
   * worker still receives the lines of the others until then).
   */
  Future<Void> closeSessions() {
    List<Future<?>> closed = new ArrayList<>();
    for (Session session : sessions) {
      closed.add(session.close());
    }
    return Future.join(closed).otherwiseEmpty().mapEmpty();
  }

  /** The start of the measured time (nanoTime); valid once {@link #go} ran. */
  long measureStart() {
    return measureStart;
  }

  long measureEnd() {
    return measureEnd;
  }
}
