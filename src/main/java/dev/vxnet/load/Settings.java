package dev.vxnet.load;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.transport.Transport;
import org.xbill.DNS.Type;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One run of {@code vxnet load}: the command line checked and completed with the protocol's defaults. Units: sizes in
 * bytes, times in seconds ({@code durationS}, {@code warmupS}) or milliseconds ({@code timeoutMs}), rate in operations
 * per second over all connections (0: closed loop), count 0: no bound.
 */
record Settings(
  Protocol protocol, String host, int port, URI url, DnsTransport transport, TcpMode tcpMode,
  int connections, int streams, int window, int size,
  HttpMethod method, HttpVersion httpVersion, List<String[]> headers, boolean insecure, Path ca,
  Path names, int defaultType, String room,
  double durationS, long count, double rate, double warmupS, int timeoutMs, int connectTimeoutMs, int eventLoops,
  Transport ioTransport, boolean json, long maxErrors) {

  enum TcpMode { PINGPONG, BULK }

  enum DnsTransport { UDP, TCP, DOH }

  /** The smallest UDP datagram: a 4-byte sequence number and a 4-byte slot number. */
  static final int UDP_HEADER_BYTES = 8;
  static final int UDP_MAX_BYTES = 65_507;
  static final int MAX_SESSIONS = 1_000_000;

  boolean overHttp() {
    return protocol == Protocol.HTTP || transport == DnsTransport.DOH;
  }

  /** Sessions of the run: one per connection or socket, one per stream over HTTP. */
  int sessions() {
    return overHttp() ? connections * streams : connections;
  }

  /** Operations that may be in flight at once over all connections. */
  int lanes() {
    return overHttp() ? connections * streams : connections * window;
  }

  /** Where the load goes, as the report shows it. */
  String target() {
    if (url != null) {
      return url.toString();
    }
    String address = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    return transport == DnsTransport.TCP ? "tcp " + address : transport == DnsTransport.UDP ? "udp " + address : address;
  }

  /**
   * Reads the options that follow the protocol word.
   *
   * @throws BadOption for an unknown option, one the protocol does not take, a missing or malformed value, a value
   *                   out of its range, or a combination that cannot run; the message names the option
   */
  static Settings parse(Protocol protocol, List<String> args) throws BadOption {
    Map<Option, String> given = new EnumMap<>(Option.class);
    List<String[]> headers = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new BadOption(arg + ": expected an option such as --duration (vxnet load " + protocol.word + " --help lists them)");
      }
      int equals = arg.indexOf('=');
      String name = arg.substring(2, equals < 0 ? arg.length() : equals);
      Option option = Option.named(name).orElseThrow(() ->
        new BadOption("--" + name + ": unknown option (vxnet load " + protocol.word + " --help lists them)"));
      if (!option.protocols.contains(protocol)) {
        throw new BadOption(option.flag() + ": not an option of load " + protocol.word + " (it is one of "
          + String.join(", ", option.protocols.stream().map(p -> p.word).toList()) + ")");
      }
      String value;
      if (option.isFlag()) {
        if (equals >= 0) {
          throw new BadOption(option.flag() + ": takes no value, got '" + arg.substring(equals + 1) + "'");
        }
        value = "true";
      } else if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new BadOption(option.flag() + ": expected " + option.value + " after it");
      }
      if (option == Option.HEADER) {
        headers.add(header(value));
      } else if (given.put(option, value) != null) {
        throw new BadOption(option.flag() + ": given twice");
      }
    }
    return new Reader(protocol, given).settings(headers);
  }

  private static String[] header(String value) throws BadOption {
    int colon = value.indexOf(':');
    String name = colon < 0 ? "" : value.substring(0, colon).trim();
    if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
      throw BadOption.expected(Option.HEADER, "'NAME: VALUE' with a token as NAME", value);
    }
    String fieldValue = value.substring(colon + 1).trim();
    if (!fieldValue.chars().allMatch(c -> c == '\t' || (c >= 32 && c != 127))) { // RFC 9110 section 5.5
      throw BadOption.expected(Option.HEADER, "'NAME: VALUE' with no control characters in VALUE", value);
    }
    return new String[] {name, fieldValue};
  }

  /** Typed values of the given options, each checked against its range, with the protocol's defaults. */
  private record Reader(Protocol protocol, Map<Option, String> given) {

    Settings settings(List<String[]> headers) throws BadOption {
      URI url = given.containsKey(Option.URL) ? url() : null;
      if (protocol == Protocol.HTTP && url == null) {
        throw new BadOption("--url: required for load http, e.g. --url https://127.0.0.1:8443/health");
      }
      DnsTransport transport = protocol != Protocol.DNS ? null
        : choice(Option.TRANSPORT, url != null ? DnsTransport.DOH : DnsTransport.UDP, DnsTransport.class);
      if (protocol == Protocol.DNS && (transport == DnsTransport.DOH) != (url != null)) {
        throw new BadOption(url == null ? "--url: required for --transport doh, e.g. --url https://127.0.0.1:8443/dns-query"
          : "--transport: --url sends DNS over HTTPS, so the transport is doh, got '" + given.get(Option.TRANSPORT) + "'");
      }
      boolean doh = transport == DnsTransport.DOH;
      boolean overHttp = protocol == Protocol.HTTP || doh;
      for (Option httpOnly : List.of(Option.STREAMS, Option.METHOD, Option.HTTP_VERSION, Option.INSECURE, Option.CA)) {
        if (protocol == Protocol.DNS && !doh && given.containsKey(httpOnly)) {
          throw new BadOption(httpOnly.flag() + ": applies to DNS over HTTPS only (--url), not to --transport "
            + transport.name().toLowerCase(Locale.ROOT));
        }
      }
      if (protocol == Protocol.DNS && doh && given.containsKey(Option.WINDOW)) {
        throw new BadOption("--window: DNS over HTTPS sends one query per stream; use --streams");
      }
      if (protocol == Protocol.DNS && doh && (given.containsKey(Option.HOST) || given.containsKey(Option.PORT))) {
        throw new BadOption((given.containsKey(Option.HOST) ? "--host" : "--port") + ": DNS over HTTPS takes the server from --url");
      }
      TcpMode mode = protocol == Protocol.TCP ? choice(Option.MODE, TcpMode.PINGPONG, TcpMode.class) : null;
      boolean bulk = mode == TcpMode.BULK;

      String host = string(Option.HOST, "127.0.0.1");
      int port = integer(Option.PORT, switch (protocol) {
        case TCP -> 8888;
        case UDP -> 9999;
        case DNS -> 53;
        case CHAT -> 8000;
        case HTTP -> 0;
      }, 1, 65_535);
      int connections = integer(Option.CONNECTIONS, switch (protocol) {
        case TCP -> bulk ? 4 : 64;
        case UDP, DNS -> 4;
        case HTTP -> 64;
        case CHAT -> 10;
      }, protocol == Protocol.CHAT ? 2 : 1, MAX_SESSIONS);
      int streams = overHttp ? integer(Option.STREAMS, doh ? 25 : 1, 1, 10_000) : 1;
      int window = protocol == Protocol.HTTP || doh ? 1 : integer(Option.WINDOW, switch (protocol) {
        case TCP -> bulk ? 64 : 1;
        case UDP -> 32;
        case DNS -> 25;
        default -> 1;
      }, 1, protocol == Protocol.DNS ? 16_384 : 65_536);
      int size = switch (protocol) {
        case TCP -> integer(Option.SIZE, bulk ? 16_384 : 64, 1, 16 << 20);
        case UDP -> integer(Option.SIZE, 64, UDP_HEADER_BYTES, UDP_MAX_BYTES);
        case HTTP -> integer(Option.SIZE, 0, 0, 64 << 20);
        case CHAT -> integer(Option.SIZE, 64, ChatLoad.MIN_LINE_BYTES, 65_536);
        case DNS -> 0;
      };
      HttpMethod method = overHttp ? method(doh ? HttpMethod.POST : HttpMethod.GET) : null;
      if (protocol == Protocol.HTTP && size > 0 && method == HttpMethod.GET) {
        throw new BadOption("--size: a request body needs --method POST");
      }
      HttpVersion version = overHttp ? httpVersion(doh ? HttpVersion.HTTP_2 : HttpVersion.HTTP_1_1) : null;
      if (overHttp && version == HttpVersion.HTTP_1_1 && streams > 1) {
        throw new BadOption("--streams: HTTP/1.1 carries one request at a time per connection; use --http 2 or more --connections");
      }
      boolean insecure = given.containsKey(Option.INSECURE);
      Path ca = given.containsKey(Option.CA) ? readableFile(Option.CA) : null;
      if (insecure && ca != null) {
        throw new BadOption("--ca: trusts these authorities, --insecure trusts any certificate: give one of them");
      }
      if ((insecure || ca != null) && !"https".equals(url.getScheme())) {
        throw new BadOption((insecure ? "--insecure" : "--ca") + ": applies to https:// URLs, got " + url);
      }
      Path names = protocol == Protocol.DNS ? readableFile(Option.NAMES) : null;
      int type = protocol == Protocol.DNS ? type(given.getOrDefault(Option.TYPE, "A"), Option.TYPE) : 0;
      String room = given.get(Option.ROOM);
      if (room != null && (room.isBlank() || room.contains("\n") || room.contains(" "))) {
        throw BadOption.expected(Option.ROOM, "a room name without spaces", room);
      }

      long count = longValue(Option.COUNT, 0, 1, Long.MAX_VALUE);
      double duration = decimal(Option.DURATION, count > 0 ? 0 : 10, 0.001, 86_400);
      double rate = decimal(Option.RATE, 0, 0.001, 1e9);
      double warmup = decimal(Option.WARMUP, 0, 0, 3_600);
      int timeout = integer(Option.TIMEOUT, protocol == Protocol.UDP ? 1_000 : 5_000, 1, 3_600_000);
      int connectTimeout = integer(Option.CONNECT_TIMEOUT, 5_000, 1, 3_600_000);
      int loops = integer(Option.EVENT_LOOPS, Math.min(connections, Runtime.getRuntime().availableProcessors()), 1, 1_024);
      if (loops > connections) {
        throw new BadOption("--event-loops: at most one per connection (" + connections + "), got " + loops);
      }
      long maxErrors = longValue(Option.MAX_ERRORS, 0, 0, Long.MAX_VALUE);
      return new Settings(protocol, host, port, url, transport, mode, connections, streams, window, size, method, version,
        List.copyOf(headers), insecure, ca, names, type, room, duration, count, rate, warmup, timeout, connectTimeout, loops,
        ioTransport(), given.containsKey(Option.JSON), maxErrors);
    }

    private Transport ioTransport() throws BadOption {
      return IoTransport.choose(given.getOrDefault(Option.IO_TRANSPORT, "auto"));
    }

    private String string(Option option, String otherwise) throws BadOption {
      String value = given.getOrDefault(option, otherwise);
      if (value.isBlank()) {
        throw BadOption.expected(option, option.value, value);
      }
      return value;
    }

    private int integer(Option option, int otherwise, int min, int max) throws BadOption {
      return (int) longValue(option, otherwise, min, max);
    }

    private long longValue(Option option, long otherwise, long min, long max) throws BadOption {
      String text = given.get(option);
      if (text == null) {
        return otherwise;
      }
      String range = max == Long.MAX_VALUE ? "an integer of at least " + min : "an integer from " + min + " to " + max;
      try {
        long value = Long.parseLong(text.replace("_", ""));
        if (value < min || value > max) {
          throw BadOption.expected(option, range, text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw BadOption.expected(option, range, text);
      }
    }

    /** A decimal number, seconds may carry an "s" as in wrk's -d10s. */
    private double decimal(Option option, double otherwise, double min, double max) throws BadOption {
      String text = given.get(option);
      if (text == null) {
        return otherwise;
      }
      String number = "SECONDS".equals(option.value) && text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
      String expected = "a number from " + trim(min) + " to " + trim(max);
      try {
        double value = Double.parseDouble(number);
        if (!(value >= min && value <= max) || number.matches(".*[a-zA-Z].*")) {
          throw BadOption.expected(option, expected, text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw BadOption.expected(option, expected, text);
      }
    }

    private static String trim(double value) {
      return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private <E extends Enum<E>> E choice(Option option, E otherwise, Class<E> type) throws BadOption {
      String text = given.get(option);
      if (text == null) {
        return otherwise;
      }
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(text)) {
          return constant;
        }
      }
      throw BadOption.expected(option, "one of " + option.value, text);
    }

    private HttpMethod method(HttpMethod otherwise) throws BadOption {
      String text = given.get(Option.METHOD);
      if (text == null) {
        return otherwise;
      }
      return switch (text.toUpperCase(Locale.ROOT)) {
        case "GET" -> HttpMethod.GET;
        case "POST" -> HttpMethod.POST;
        default -> throw BadOption.expected(Option.METHOD, "GET or POST", text);
      };
    }

    private HttpVersion httpVersion(HttpVersion otherwise) throws BadOption {
      String text = given.get(Option.HTTP_VERSION);
      if (text == null) {
        return otherwise;
      }
      return switch (text) {
        case "1.1" -> HttpVersion.HTTP_1_1;
        case "2", "2.0" -> HttpVersion.HTTP_2;
        default -> throw BadOption.expected(Option.HTTP_VERSION, "1.1 or 2", text);
      };
    }

    private URI url() throws BadOption {
      String text = given.get(Option.URL);
      try {
        URI url = new URI(text);
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
          throw BadOption.expected(Option.URL, "an http:// or https:// URL with a host", text);
        }
        return url;
      } catch (URISyntaxException e) {
        throw BadOption.expected(Option.URL, "an http:// or https:// URL (" + e.getReason() + ")", text);
      }
    }

    private Path readableFile(Option option) throws BadOption {
      String text = given.get(option);
      if (text == null) {
        throw new BadOption(option.flag() + ": required for load " + protocol.word);
      }
      Path path = Path.of(text);
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw BadOption.expected(option, "a readable file", text);
      }
      return path;
    }
  }

  /** A record type by its mnemonic (A, AAAA, MX ...) or number; {@code where} names the option or file line. */
  static int type(String text, Object where) throws BadOption {
    int type = Type.value(text.toUpperCase(Locale.ROOT), true);
    if (type < 0 || type > 65_535) {
      String prefix = where instanceof Option option ? option.flag() : where.toString();
      throw new BadOption(prefix + ": expected a record type such as A, AAAA, MX or TXT, got '" + text + "'");
    }
    return type;
  }
}
