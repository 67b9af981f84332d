package dev.vxnet.udp;

import dev.vxnet.config.Key;
import dev.vxnet.config.Section;

/**
 * The {@code udp} section.
 *
 * @param host                address to bind
 * @param port                port to bind, 0 = any free one
 * @param maxDatagramBytes    larger datagrams are dropped, bytes
 * @param rateLimitPerSecond  datagrams answered per second per source; 0 = no limit
 * @param rateLimitBurst      token bucket size per source
 * @param rateLimitMaxSources sources tracked at once
 * @param receiveBufferBytes  SO_RCVBUF, bytes
 */
public record UdpSettings(String host, int port, int maxDatagramBytes, int rateLimitPerSecond, int rateLimitBurst,
                          int rateLimitMaxSources, int receiveBufferBytes) {

  /** The largest payload of an IPv4 UDP datagram. */
  public static final int MAX_UDP_PAYLOAD = 65_507;

  public static final Section<UdpSettings> SECTION = Section.service("udp", 9999, "UDP echo.",
    values -> new UdpSettings(values.text("host"), values.integer("port"), values.integer("max_datagram_bytes"),
      values.integer("rate_limit_per_second"), values.integer("rate_limit_burst"), values.integer("rate_limit_max_sources"),
      values.integer("receive_buffer_bytes")),
    Key.integer("max_datagram_bytes", 8_192, 1, MAX_UDP_PAYLOAD, "Larger datagrams are dropped and counted as `oversize`."),
    Key.integer("rate_limit_per_second", 10_000, 0, Integer.MAX_VALUE,
      "Datagrams answered per second per source address (token bucket); 0 = no limit."),
    Key.integer("rate_limit_burst", 20_000, 1, Integer.MAX_VALUE, "Token bucket size: datagrams a source may send at once."),
    Key.integer("rate_limit_max_sources", 100_000, 1, Integer.MAX_VALUE,
      "Source addresses tracked at once; when full, idle ones are forgotten first."),
    Key.integer("receive_buffer_bytes", 65_536, 2_048, 16 << 20,
      "SO_RCVBUF, and the buffer each datagram is read into (raised to `max_datagram_bytes` + 1 if smaller)."));
}
