package dev.vxnet.load;

import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line of vxnet load: defaults per protocol, and one line naming the option for each mistake. */
class SettingsTest {

  private static Settings parse(Protocol protocol, String... args) throws BadOption {
    return Settings.parse(protocol, List.of(args));
  }

  private static String problem(Protocol protocol, String... args) {
    return assertThrows(BadOption.class, () -> parse(protocol, args)).getMessage();
  }

  @Test
  void defaultsFollowTheCLoadTools() throws Exception {
    Settings tcp = parse(Protocol.TCP);
    assertEquals(List.of("127.0.0.1", 8888, 64, 1, 64, 10.0, 0L, 0.0), List.of(tcp.host(), tcp.port(), tcp.connections(),
      tcp.window(), tcp.size(), tcp.durationS(), tcp.count(), tcp.rate()));
    assertEquals(Transport.IO_URING.available() ? Transport.IO_URING : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO,
      tcp.ioTransport());
    assertEquals(Transport.NIO, parse(Protocol.TCP, "--io-transport", "nio").ioTransport());
    Settings bulk = parse(Protocol.TCP, "--mode", "bulk");
    assertEquals(List.of(4, 64, 16_384), List.of(bulk.connections(), bulk.window(), bulk.size()));
    Settings udp = parse(Protocol.UDP);
    assertEquals(List.of(9999, 4, 32, 64, 1000), List.of(udp.port(), udp.connections(), udp.window(), udp.size(), udp.timeoutMs()));
    Settings counted = parse(Protocol.UDP, "--count", "500");
    assertEquals(0.0, counted.durationS(), "--count alone: no time bound but the timeouts");
    Settings http = parse(Protocol.HTTP, "--url", "https://127.0.0.1:8443/health", "--http=2", "--streams", "10", "--connections=3");
    assertEquals(30, http.sessions());
    assertEquals("https://127.0.0.1:8443/health", http.target());
  }

  @Test
  void eachMistakeIsOneLineNamingTheOption() {
    assertEquals("--size: expected an integer from 8 to 65507, got '4'", problem(Protocol.UDP, "--size", "4"));
    assertEquals("--size: expected an integer from 1 to 16777216, got 'big'", problem(Protocol.TCP, "--size=big"));
    assertEquals("--duration: expected a number from 0.001 to 86400, got '-1'", problem(Protocol.TCP, "--duration", "-1"));
    assertEquals("--rate: expected a number from 0.001 to 1000000000, got 'fast'", problem(Protocol.TCP, "--rate", "fast"));
    assertEquals("--connections: expected N after it", problem(Protocol.TCP, "--connections"));
    assertEquals("--conections: unknown option (vxnet load tcp --help lists them)", problem(Protocol.TCP, "--conections", "2"));
    assertEquals("--streams: not an option of load tcp (it is one of http, dns)", problem(Protocol.TCP, "--streams", "2"));
    assertEquals("--json: takes no value, got 'yes'", problem(Protocol.TCP, "--json=yes"));
    assertEquals("--count: given twice", problem(Protocol.TCP, "--count", "1", "--count", "2"));
    assertEquals("-c: expected an option such as --duration (vxnet load tcp --help lists them)", problem(Protocol.TCP, "-c", "2"));
    assertEquals("--mode: expected one of pingpong|bulk, got 'stream'", problem(Protocol.TCP, "--mode", "stream"));
    assertEquals("--url: required for load http, e.g. --url https://127.0.0.1:8443/health", problem(Protocol.HTTP));
    assertEquals("--url: expected an http:// or https:// URL with a host, got 'ftp://x/'", problem(Protocol.HTTP, "--url", "ftp://x/"));
    assertEquals("--http: expected 1.1 or 2, got '3'", problem(Protocol.HTTP, "--url", "http://h/", "--http", "3"));
    assertTrue(problem(Protocol.HTTP, "--url", "http://h/", "--streams", "4").startsWith("--streams: HTTP/1.1 carries one request"));
    assertEquals("--size: a request body needs --method POST", problem(Protocol.HTTP, "--url", "http://h/", "--size", "10"));
    assertEquals("--insecure: applies to https:// URLs, got http://h/", problem(Protocol.HTTP, "--url", "http://h/", "--insecure"));
    assertEquals("--names: required for load dns", problem(Protocol.DNS));
    assertEquals("--names: expected a readable file, got '/nonexistent/names.txt'", problem(Protocol.DNS, "--names", "/nonexistent/names.txt"));
    assertEquals("--type: expected a record type such as A, AAAA, MX or TXT, got 'AX'", problem(Protocol.DNS, "--names", "pom.xml", "--type", "AX"));
    assertEquals("--url: required for --transport doh, e.g. --url https://127.0.0.1:8443/dns-query",
      problem(Protocol.DNS, "--transport", "doh"));
    assertTrue(problem(Protocol.DNS, "--streams", "4").startsWith("--streams: applies to DNS over HTTPS only"));
    assertEquals("--connections: expected an integer from 2 to 1000000, got '1'", problem(Protocol.CHAT, "--connections", "1"));
    assertEquals("--event-loops: at most one per connection (2), got 4", problem(Protocol.TCP, "--connections", "2", "--event-loops", "4"));
    assertEquals("--io-transport: expected auto, io_uring, epoll or nio, got 'uring'", problem(Protocol.TCP, "--io-transport", "uring"));
    assertEquals("--header: expected 'NAME: VALUE' with no control characters in VALUE, got 'x-a: b\rc'",
      problem(Protocol.HTTP, "--url", "http://h/", "--header", "x-a: b\rc"));
  }

  @Test
  void theCommandSaysWhatIsWrongWithExitStatusTwo() {
    Loads.Run none = Loads.run();
    assertEquals(LoadCommand.BAD_OPTION, none.status());
    assertTrue(none.err().startsWith("usage: vxnet load PROTOCOL [options]"), none.err());
    Loads.Run unknown = Loads.run("smtp");
    assertEquals(LoadCommand.BAD_OPTION, unknown.status());
    assertEquals("vxnet load: 'smtp': expected a protocol: tcp, udp, http, dns, chat\n", unknown.err());
    Loads.Run bad = Loads.run("udp", "--window", "0");
    assertEquals(LoadCommand.BAD_OPTION, bad.status());
    assertEquals("vxnet load udp: --window: expected an integer from 1 to 65536, got '0'\n", bad.err());
    Loads.Run host = Loads.run("tcp", "--host", "no-such-host.invalid");
    assertEquals("vxnet load tcp: --host: expected a name that resolves or an IP address, got 'no-such-host.invalid'\n", host.err());
    Loads.Run help = Loads.run("dns", "--help");
    assertEquals(0, help.status());
    for (Option option : Option.values()) {
      assertEquals(option.protocols.contains(Protocol.DNS), help.out().contains(option.flag() + " ") || help.out().contains(option.flag() + "\n"),
        option.flag() + " in the help of dns: " + help.out());
    }
  }
}
