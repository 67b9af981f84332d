package dev.vxnet.net;

import io.vertx.core.Vertx;

import java.util.Optional;
import java.util.Set;

/**
 * Which datagram sources a UDP service must not answer, whatever it serves: its answer would go to a service rather
 * than a client, so a spoofed source turns the service into a reflector (CERT VU#417980; CVE-2024-2169, "loop DoS":
 * two UDP services answering each other forever). Refused are source port 0, the well-known ports below 1024 (where
 * services, not clients, live: echo 7, discard 9, daytime 13, qotd 17, chargen 19, time 37, DNS 53, NTP 123, SNMP
 * 161, LDAP 389, ...), the known reflector ports above them ({@link #REFLECTOR_PORTS}), and every port this node
 * listens on (its own UDP port included, so that it never answers itself). Clients send from ephemeral ports
 * (1024-65535, on Linux 32768-60999), which stay answered. Not thread-safe: one guard per verticle instance.
 */
public final class ReflectionGuard {

  /** Reflector and amplifier ports above 1023: SSDP, WS-Discovery, CoAP, mDNS, Ubiquiti discovery, memcached. */
  public static final Set<Integer> REFLECTOR_PORTS = Set.of(1900, 3702, 5683, 5353, 10001, 11211);

  private final Vertx vertx;
  private Set<Integer> ownPorts = Set.of();
  private int ownPortsCount = -1;

  public ReflectionGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Why a datagram from {@code sourcePort} must go unanswered, or empty when it may be answered. */
  public Optional<String> refusal(int sourcePort) {
    if (sourcePort < 1024) {
      return Optional.of("source port " + sourcePort + " is a well-known service port (below 1024)");
    }
    if (REFLECTOR_PORTS.contains(sourcePort)) {
      return Optional.of("source port " + sourcePort + " is a known reflector port");
    }
    if (ownPorts().contains(sourcePort)) {
      return Optional.of("source port " + sourcePort + " is a port this node listens on");
    }
    return Optional.empty();
  }

  /** The node's listening ports, read again only when a service has bound one since (one guard per verticle instance). */
  private Set<Integer> ownPorts() {
    int count = Listening.portCount(vertx);
    if (count != ownPortsCount) {
      ownPorts = Listening.ports(vertx);
      ownPortsCount = count;
    }
    return ownPorts;
  }
}
