package dev.vxnet.bridge.tcp;

import dev.vxnet.bridge.tcp.Permissions.Action;
import dev.vxnet.bus.ErrorCode;
import dev.vxnet.net.Abort;
import dev.vxnet.net.ConnectionLimit;
import dev.vxnet.net.HalfClosure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.Map;

/**
 * One TCP bridge connection. Reading stops (TCP flow control) while the connection has
 * {@code max_pending_requests} requests in flight, while its write queue is full, and while a registration
 * completes, so that a pong after a register means the client is receiving. Messages to a client whose
 * write queue is full close the connection: the bus cannot be paused for one slow reader. A client that half-closes
 * gets the replies to its requests in flight, then the connection ends.
 */
final class BridgeSession {

  private final Vertx vertx;
  private final NetSocket socket;
  private final BridgeLimits limits;
  private final BridgeCounters counters;
  private final FrameDecoder decoder;
  private final Map<String, MessageConsumer<Object>> registrations = new HashMap<>();
  private int pendingRequests;
  private int registering;
  private boolean paused;
  private boolean open = true;
  private boolean inputEnded;

  private BridgeSession(Vertx vertx, NetSocket socket, BridgeLimits limits, BridgeCounters counters) {
    this.vertx = vertx;
    this.socket = socket;
    this.limits = limits;
    this.counters = counters;
    this.decoder = new FrameDecoder(limits.maxFrameBytes(), this::handleFrame, this::oversize);
  }

  static void accept(Vertx vertx, NetSocket socket, BridgeLimits limits, ConnectionLimit connections, BridgeCounters counters) {
    if (!connections.tryAcquire()) {
      counters.refused.increment();
      socket.write(Frames.encode(Frames.err("server_full", ErrorCode.UNAVAILABLE,
        "this node has its maximum of bridge connections open; try again later", null, null)))
        .onComplete(written -> socket.close());
      return;
    }
    counters.open.increment();
    counters.connections.increment();
    BridgeSession session = new BridgeSession(vertx, socket, limits, counters);
    socket.handler(session.decoder::feed);
    socket.drainHandler(v -> session.updateFlow());
    socket.exceptionHandler(failure -> socket.close());
    socket.shutdownHandler(v -> socket.end()); // the node stops: what is queued is written, then the connection ends
    HalfClosure.onInputEnd(socket, session::inputEnded);
    socket.closeHandler(v -> {
      counters.open.decrement();
      connections.release();
      session.closed();
    });
  }

  private void handleFrame(Buffer payload) {
    counters.framesIn.increment();
    BridgeFrame frame;
    try {
      frame = BridgeFrame.parse(payload, limits.requestTimeoutMs());
    } catch (BridgeFrame.Invalid invalid) {
      counters.badFrames.increment();
      write(Frames.invalid(invalid));
      return;
    }
    switch (frame.type()) {
      case PING -> write(Frames.pong());
      case SEND -> send(frame);
      case PUBLISH -> publish(frame);
      case REGISTER -> register(frame.address());
      case UNREGISTER -> unregister(frame.address());
    }
    updateFlow();
  }

  /**
   * Every send is a request with the bridge's timeout, also when the client wants no reply: so it counts
   * against {@code max_pending_requests}, and a client cannot start unbounded work with fire-and-forget sends.
   */
  private void send(BridgeFrame frame) {
    if (!permitted(Action.SEND, frame)) {
      return;
    }
    counters.requests.increment();
    pendingRequests++;
    long timeoutMs = frame.timeoutMs() != null ? frame.timeoutMs() : limits.requestTimeoutMs();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    frame.headers().forEach(options::addHeader);
    vertx.eventBus().request(frame.address(), frame.body(), options).onComplete(result -> {
      pendingRequests--;
      if (result.failed()) {
        counters.requestErrors.increment();
      }
      if (frame.replyAddress() != null) {
        write(result.succeeded()
          ? Frames.message(frame.replyAddress(), result.result())
          : Frames.requestFailed(frame.address(), frame.replyAddress(), result.cause(), timeoutMs));
      }
      updateFlow();
      endIfDone();
    });
  }

  /**
   * The client sent its FIN (a half-close: {@link HalfClosure}): it sends no more frames, but the replies to its
   * requests still in flight are written before the connection ends (messages to its registrations until then too).
   */
  private void inputEnded() {
    inputEnded = true;
    endIfDone();
  }

  /** After the FIN: ends the connection once no request or registration is in flight (frames still held first). */
  private void endIfDone() {
    if (inputEnded && pendingRequests == 0 && registering == 0) {
      HalfClosure.closeWhenDone(() -> open && pendingRequests == 0 && registering == 0, socket::close);
    }
  }

  private void publish(BridgeFrame frame) {
    if (!permitted(Action.PUBLISH, frame)) {
      return;
    }
    counters.published.increment();
    DeliveryOptions options = new DeliveryOptions();
    frame.headers().forEach(options::addHeader);
    vertx.eventBus().publish(frame.address(), frame.body(), options);
  }

  private void register(String address) {
    if (!Permissions.permits(Action.REGISTER, address)) {
      denied(Action.REGISTER, address, null);
      return;
    }
    if (registrations.containsKey(address)) {
      return; // already receiving it: registering twice would deliver every message twice
    }
    if (registrations.size() >= limits.maxRegistrations()) {
      write(Frames.err("max_handlers_reached", ErrorCode.LIMIT, "this connection already has its maximum of "
        + limits.maxRegistrations() + " registrations; unregister one first", address, null));
      return;
    }
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> deliver(address, message));
    registrations.put(address, consumer);
    registering++;
    consumer.completion().onComplete(done -> {
      registering--;
      updateFlow();
      endIfDone();
    });
  }

  private void unregister(String address) {
    MessageConsumer<Object> consumer = registrations.remove(address);
    if (consumer == null) {
      write(Frames.err("unknown_address", ErrorCode.BAD_REQUEST, "address: this connection is not registered at " + address,
        address, null));
      return;
    }
    consumer.unregister();
  }

  private void deliver(String address, Message<Object> message) {
    if (!open) {
      return;
    }
    if (socket.writeQueueFull()) {
      counters.slowDisconnects.increment();
      closed();
      Abort.close(socket);
      return;
    }
    counters.delivered.increment();
    write(Frames.message(address, message));
  }

  private boolean permitted(Action action, BridgeFrame frame) {
    if (Permissions.permits(action, frame.address())) {
      return true;
    }
    denied(action, frame.address(), frame.replyAddress());
    return false;
  }

  private void denied(Action action, String address, String replyAddress) {
    counters.denied.increment();
    write(Frames.denied(action, address, replyAddress));
  }

  /** The frame cannot be skipped: its length is all we know. Say why, then close. */
  private void oversize(long length) {
    counters.oversizeFrames.increment();
    socket.pause();
    socket.write(Frames.encode(Frames.err("frame_too_large", ErrorCode.TOO_LARGE, "frame of " + length
      + " bytes exceeds the limit of " + limits.maxFrameBytes() + " bytes; closing the connection", null, null)))
      .onComplete(written -> socket.close());
    counters.framesOut.increment();
    open = false;
  }

  private void write(JsonObject frame) {
    if (open) {
      socket.write(Frames.encode(frame));
      counters.framesOut.increment();
    }
  }

  private void updateFlow() {
    if (!open) {
      return;
    }
    boolean hold = pendingRequests >= limits.maxPendingRequests() || registering > 0 || socket.writeQueueFull();
    if (hold && !paused) {
      paused = true;
      decoder.pause();
      socket.pause();
    } else if (!hold && paused) {
      paused = false;
      socket.resume();
      decoder.resume();
    }
  }

  /** Idempotent: on a slow-reader disconnect, and again when the socket has closed. */
  private void closed() {
    open = false;
    registrations.values().forEach(MessageConsumer::unregister);
    registrations.clear();
  }
}
