package dev.vxnet.load;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Servers that get their protocol almost right, on free ports of 127.0.0.1, to check that vxnet load counts what goes
 * wrong: a TCP echo that changes bytes or never answers, an HTTP server that closes connections or sends garbage, a UDP echo that drops or reorders datagrams, a DNS server
 * that refuses every query.
 */
final class MisbehavingServers implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();

  /** A TCP echo that inverts the stream's byte number {@code every}, 2 x every, ... (so most messages stay intact). */
  int corruptingTcpEcho(long every) throws Exception {
    AtomicLong position = new AtomicLong();
    NetServer server = vertx.createNetServer().connectHandler(socket -> socket.handler(data -> {
      Buffer copy = data.copy();
      long first = position.getAndAdd(data.length());
      for (int i = 0; i < copy.length(); i++) {
        if ((first + i + 1) % every == 0) {
          copy.setByte(i, (byte) ~copy.getByte(i));
        }
      }
      socket.write(copy);
    }));
    return listen(server);
  }

  /** Accepts connections, reads everything, answers nothing. */
  int silentTcp() throws Exception {
    return listen(vertx.createNetServer().connectHandler(socket -> socket.handler(data -> { })));
  }

  /**
   * A raw HTTP/1.1 server that answers the n-th request it reads (from 1, over all connections; a request is a head
   * ending in a blank line, with no body) with the bytes of {@code answer.apply(n)}, as they are, and closes the
   * connection after an answer that says {@code Connection: close} or has neither Content-Length nor
   * Transfer-Encoding (its end is the close).
   */
  int rawHttp(LongFunction<String> answer) throws Exception {
    AtomicLong requests = new AtomicLong();
    return listen(vertx.createNetServer().connectHandler(socket -> socket.handler(RecordParser.newDelimited("\r\n\r\n", head -> {
      String bytes = answer.apply(requests.incrementAndGet());
      socket.write(bytes);
      String lower = bytes.toLowerCase(Locale.ROOT);
      if (lower.contains("connection: close") || !lower.contains("content-length") && !lower.contains("transfer-encoding")) {
        socket.end();
      }
    }))));
  }

  private static int listen(NetServer server) throws Exception {
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  /** A UDP echo that answers every datagram but each {@code every}-th it receives. */
  int droppingUdpEcho(int every) throws Exception {
    AtomicLong received = new AtomicLong();
    return udp((socket, packet) -> {
      if (received.incrementAndGet() % every != 0) {
        socket.send(packet.data(), packet.sender().port(), packet.sender().host());
      }
    });
  }

  /** A UDP echo that holds each first datagram of a pair and answers it after the second: every pair swapped. */
  int swappingUdpEcho() throws Exception {
    DatagramPacket[] held = new DatagramPacket[1];
    return udp((socket, packet) -> {
      if (held[0] == null) {
        held[0] = packet;
      } else {
        socket.send(packet.data(), packet.sender().port(), packet.sender().host());
        socket.send(held[0].data(), held[0].sender().port(), held[0].sender().host());
        held[0] = null;
      }
    });
  }

  /** A DNS server (UDP) that answers every query REFUSED: the query sent back with QR set and RCODE 5. */
  int refusingDns() throws Exception {
    return udp((socket, packet) -> {
      Buffer answer = packet.data().copy();
      answer.setByte(2, (byte) (answer.getByte(2) | 0x80));
      answer.setByte(3, (byte) ((answer.getByte(3) & 0xf0) | 5));
      socket.send(answer, packet.sender().port(), packet.sender().host());
    });
  }

  private interface Answer {
    void handle(DatagramSocket socket, DatagramPacket packet);
  }

  /** The socket's handler runs on the one event loop of the context the socket was made on: no locks needed. */
  private int udp(Answer answer) throws Exception {
    DatagramSocket socket = vertx.createDatagramSocket();
    socket.handler(packet -> answer.handle(socket, packet));
    return socket.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).localAddress().port();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
