package dev.vxnet.fetch.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real DNS server on 127.0.0.1 that answers NXDOMAIN to every query and records the names asked. The fetcher's
 * resolver points here, so that a name missing from the test hosts mapping fails fast and never leaves loopback.
 */
final class NxDomainServer {

  private final DatagramSocket socket;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  private NxDomainServer(DatagramSocket socket) {
    this.socket = socket;
  }

  static Future<NxDomainServer> start(Vertx vertx) {
    DatagramSocket socket = vertx.createDatagramSocket();
    NxDomainServer server = new NxDomainServer(socket);
    socket.handler(packet -> {
      try {
        Message query = new Message(packet.data().getBytes());
        server.asked.add(query.getQuestion().getName().toString(true));
        Message answer = new Message(query.getHeader().getID());
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.RA);
        answer.getHeader().setRcode(Rcode.NXDOMAIN);
        answer.addRecord(query.getQuestion(), Section.QUESTION);
        socket.send(Buffer.buffer(answer.toWire()), packet.sender().port(), packet.sender().host());
      } catch (IOException e) {
        // Not a DNS query: nothing to answer.
      }
    });
    return socket.listen(0, "127.0.0.1").map(server);
  }

  String address() {
    return "127.0.0.1:" + socket.localAddress().port();
  }

  List<String> asked() {
    return asked;
  }

  Future<Void> close() {
    return socket.close();
  }
}
