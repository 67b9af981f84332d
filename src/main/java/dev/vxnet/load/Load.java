package dev.vxnet.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** What one protocol brings to a run: its sessions on each worker, a check before the load starts, its report lines. */
abstract class Load {

  protected final Settings settings;

  protected Load(Settings settings) {
    this.settings = settings;
  }

  /**
   * The protocol's load for these settings.
   *
   * @throws BadOption when --host does not resolve or the names file cannot be used
   */
  static Load of(Settings settings) throws BadOption {
    return switch (settings.protocol()) {
      case TCP -> new TcpEcho(settings, address(settings));
      case UDP -> new UdpEcho(settings, address(settings));
      case HTTP -> HttpLoad.plain(settings);
      case DNS -> DnsLoad.of(settings, settings.transport() == Settings.DnsTransport.DOH ? null : address(settings));
      case CHAT -> new ChatLoad(settings, address(settings));
    };
  }

  /** The server's IP address as a literal, resolved once, so that no send resolves a name again. */
  private static String address(Settings settings) throws BadOption {
    try {
      return InetAddress.getByName(settings.host()).getHostAddress();
    } catch (UnknownHostException e) {
      throw BadOption.expected(Option.HOST, "a name that resolves or an IP address", settings.host());
    }
  }

  /** Called on the worker's event loop: the sessions numbered {@code first} to {@code first + count - 1}. */
  abstract List<Session> sessions(Worker worker, int first, int count);

  /** The sessions {@code first} to {@code first + count - 1}, each made by {@code session} from its number. */
  static List<Session> numbered(int first, int count, IntFunction<Session> session) {
    return IntStream.range(first, first + count).mapToObj(session).toList();
  }

  /** A TCP client of the worker's event loop with --connect-timeout and Nagle's delay off. */
  protected final NetClient netClient(Worker worker) {
    return worker.vertx().createNetClient(new NetClientOptions().setConnectTimeout(settings.connectTimeoutMs()).setTcpNoDelay(true));
  }

  /** What one operation is, plural: messages, datagrams, requests, queries, deliveries. */
  abstract String unit();

  /** Runs once every session is open, before the load starts (chat: every client is in the room). */
  Future<Void> ready(Vertx vertx) {
    return Future.succeededFuture();
  }

  /** Adds the protocol's own fields to the result (bytes, loss, codes), from the summed tallies. */
  void report(JsonObject result, Totals totals) {
  }

  /** A failure as one line: its message, or its type when it has none. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
  }
}
