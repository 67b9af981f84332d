package dev.vxnet.load;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static dev.vxnet.load.Protocol.CHAT;
import static dev.vxnet.load.Protocol.DNS;
import static dev.vxnet.load.Protocol.HTTP;
import static dev.vxnet.load.Protocol.TCP;
import static dev.vxnet.load.Protocol.UDP;

/**
 * Every option of {@code vxnet load}: its name, the value it expects (none for a flag), the protocols that take it
 * and what it does. The help text and the checks of {@link Settings} are made from this table.
 */
enum Option {
  HOST("host", "ADDRESS", EnumSet.of(TCP, UDP, DNS, CHAT), "server name or IP address", "127.0.0.1"),
  PORT("port", "PORT", EnumSet.of(TCP, UDP, DNS, CHAT), "server port", "tcp 8888, udp 9999, dns 53, chat 8000"),
  URL("url", "URL", EnumSet.of(HTTP, DNS), "http:// or https:// URL (dns: the DoH endpoint, implies --transport doh)", null),
  TRANSPORT("transport", "udp|tcp|doh", EnumSet.of(DNS), "how DNS queries travel", "udp, doh with --url"),
  MODE("mode", "pingpong|bulk", EnumSet.of(TCP), "ping-pong messages, or stream chunks as fast as they are echoed", "pingpong"),
  CONNECTIONS("connections", "N", EnumSet.allOf(Protocol.class),
    "connections (udp, dns over udp: sockets; chat: clients in the room)",
    "tcp 64 (bulk 4), udp 4, http 64, dns 4, chat 10"),
  STREAMS("streams", "N", EnumSet.of(HTTP, DNS), "requests in flight per connection (HTTP/2 streams)", "1, doh 25"),
  WINDOW("window", "N", EnumSet.of(TCP, UDP, DNS, CHAT),
    "operations in flight per connection or socket (tcp: pipeline depth)", "tcp 1 (bulk 64), udp 32, dns 25, chat 1"),
  SIZE("size", "BYTES", EnumSet.of(TCP, UDP, HTTP, CHAT),
    "message, chunk or datagram size; http: POST body size; chat: line length", "tcp 64 (bulk 16384), udp 64, http 0, chat 64"),
  METHOD("method", "GET|POST", EnumSet.of(HTTP, DNS), "HTTP method (DoH: GET ?dns= or POST body)", "http GET, doh POST"),
  HTTP_VERSION("http", "1.1|2", EnumSet.of(HTTP, DNS), "HTTP version (https: by ALPN; http: HTTP/2 with prior knowledge)", "http 1.1, doh 2"),
  HEADER("header", "'NAME: VALUE'", EnumSet.of(HTTP), "request header, may be repeated", null),
  INSECURE("insecure", null, EnumSet.of(HTTP, DNS), "TLS without verifying the server's certificate or name", null),
  CA("ca", "FILE", EnumSet.of(HTTP, DNS), "PEM file of the certificate authorities to trust instead of the JVM's", null),
  NAMES("names", "FILE", EnumSet.of(DNS), "names to query, one 'NAME [TYPE]' a line (dnsperf's format), used in turn", null),
  TYPE("type", "TYPE", EnumSet.of(DNS), "record type of the names file lines that give none", "A"),
  ROOM("room", "NAME", EnumSet.of(CHAT), "room the clients join (sent as '/join NAME')", "the server's default room"),
  DURATION("duration", "SECONDS", EnumSet.allOf(Protocol.class), "measured time, after the warm-up", "10, none with --count"),
  COUNT("count", "N", EnumSet.allOf(Protocol.class), "stop after N measured operations (chat: lines sent)", null),
  RATE("rate", "PER_SECOND", EnumSet.allOf(Protocol.class),
    "constant rate over all connections, latency from each operation's scheduled start (as wrk2 does); "
      + "without it: closed loop, as fast as answers come", null),
  WARMUP("warmup", "SECONDS", EnumSet.allOf(Protocol.class), "unrecorded load before the measured time", "0"),
  TIMEOUT("timeout", "MS", EnumSet.allOf(Protocol.class), "an answer later than this fails its operation", "5000, udp 1000"),
  CONNECT_TIMEOUT("connect-timeout", "MS", EnumSet.allOf(Protocol.class), "connection (and chat room join) timeout", "5000"),
  EVENT_LOOPS("event-loops", "N", EnumSet.allOf(Protocol.class), "Vert.x event loops the connections are spread over",
    "connections, at most the CPU count"),
  IO_TRANSPORT("io-transport", "auto|io_uring|epoll|nio", EnumSet.allOf(Protocol.class),
    "Vert.x transport of the event loops (auto: io_uring, else epoll, else nio)", "auto"),
  JSON("json", null, EnumSet.allOf(Protocol.class), "print the result as one JSON object instead of the table", null),
  MAX_ERRORS("max-errors", "N", EnumSet.allOf(Protocol.class), "exit status 1 when more errors than this", "0"),
  HELP("help", null, EnumSet.allOf(Protocol.class), "this help", null);

  final String name;
  final String value;
  final Set<Protocol> protocols;
  final String description;
  final String defaults;

  Option(String name, String value, Set<Protocol> protocols, String description, String defaults) {
    this.name = name;
    this.value = value;
    this.protocols = protocols;
    this.description = description;
    this.defaults = defaults;
  }

  String flag() {
    return "--" + name;
  }

  boolean isFlag() {
    return value == null;
  }

  static Optional<Option> named(String name) {
    return Arrays.stream(values()).filter(o -> o.name.equals(name)).findFirst();
  }

  /** The help of {@code vxnet load PROTOCOL --help}, or of {@code vxnet load --help} when protocol is null. */
  static String help(Protocol protocol) {
    StringBuilder text = new StringBuilder();
    if (protocol == null) {
      text.append("usage: vxnet load PROTOCOL [options]   (bin/vxnet-load PROTOCOL [options])\n\nprotocols:\n");
      for (Protocol p : Protocol.values()) {
        text.append(String.format("  %-6s %s%n", p.word, p.summary));
      }
      text.append("\nvxnet load PROTOCOL --help lists the options of one protocol. Exit status: 0, 1 when errors exceed\n")
        .append("--max-errors or nothing completed, 2 for a bad option.\n");
      return text.toString();
    }
    text.append("usage: vxnet load ").append(protocol.word).append(" [options]\n  ").append(protocol.summary).append("\n\noptions:\n");
    for (Option option : values()) {
      if (option.protocols.contains(protocol)) {
        String left = option.flag() + (option.isFlag() ? "" : " " + option.value);
        text.append(String.format("  %-28s %s%s%n", left, option.description,
          option.defaults == null ? "" : " (default: " + option.defaults + ")"));
      }
    }
    return text.toString();
  }
}
