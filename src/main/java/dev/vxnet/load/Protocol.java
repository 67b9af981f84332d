package dev.vxnet.load;

import java.util.Arrays;
import java.util.Optional;

/** The protocols {@code vxnet load} speaks: the word after {@code load} on the command line. */
enum Protocol {
  TCP("tcp", "TCP echo (RFC 862): ping-pong with a pipeline depth, or bulk streaming; every byte verified"),
  UDP("udp", "UDP echo: datagrams in flight per socket; loss, reordering and stray replies counted"),
  HTTP("http", "HTTP/1.1 or HTTP/2 GET/POST of one URL, TLS verified or not, connections x streams"),
  DNS("dns", "DNS queries from a names file over UDP or TCP (Do53) or DNS-over-HTTPS (RFC 8484)"),
  CHAT("chat", "line chat: N clients in one room, each line's fan-out latency to every other client");

  final String word;
  final String summary;

  Protocol(String word, String summary) {
    this.word = word;
    this.summary = summary;
  }

  static Optional<Protocol> of(String word) {
    return Arrays.stream(values()).filter(p -> p.word.equals(word)).findFirst();
  }

  static String words() {
    return String.join(", ", Arrays.stream(values()).map(p -> p.word).toList());
  }
}
