package dev.vxnet.tcp;

import dev.vxnet.udp.UdpEchoVerticle;

/** A deliberate violation for ArchitectureTest: a class of the tcp service that uses the udp service's code. */
public final class ImportsAnotherService {

  Object udpVerticle() {
    return new UdpEchoVerticle();
  }
}
