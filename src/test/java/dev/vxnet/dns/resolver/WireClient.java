package dev.vxnet.dns.resolver;

import dev.vxnet.support.TrustAll;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;

/**
 * A DNS client for the tests of the listeners: real sockets (UDP, TCP, TLS) from the test thread, messages built and
 * read with dnsjava, bytes sent as they are (so that malformed ones can be sent too).
 */
public final class WireClient {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int TIMEOUT_MS = 5_000;

  private WireClient() {
  }

  /** A query with RD, and an OPT record with {@code payload} bytes when {@code payload} > 0. */
  public static Message query(int id, String name, int type, int payload) {
    Message query = new Message(id);
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(Record.newRecord(Name.fromConstantString(name), type, DClass.IN), Section.QUESTION);
    if (payload > 0) {
      query.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    }
    return query;
  }

  /** A UDP socket of 127.0.0.1 (close it). */
  public static DatagramSocket udpSocket() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  public static void send(DatagramSocket socket, int port, byte[] message) throws IOException {
    socket.send(new DatagramPacket(message, message.length, LOOPBACK, port));
  }

  /** The next datagram, parsed; fails after 5 s. */
  public static Message receive(DatagramSocket socket) throws IOException {
    byte[] buffer = new byte[65_535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
  }

  /** One query over UDP from a fresh socket, and its answer. */
  public static Message udp(int port, byte[] query) throws IOException {
    try (DatagramSocket socket = udpSocket()) {
      send(socket, port, query);
      return receive(socket);
    }
  }

  /** The raw bytes of the answer over UDP. */
  public static byte[] udpBytes(int port, byte[] query) throws IOException {
    try (DatagramSocket socket = udpSocket()) {
      send(socket, port, query);
      byte[] buffer = new byte[65_535];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      return java.util.Arrays.copyOf(buffer, packet.getLength());
    }
  }

  /** A TCP connection to 127.0.0.1 (close it). */
  public static Socket tcp(int port) throws IOException {
    Socket socket = new Socket(LOOPBACK, port);
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  /** A TLS connection to 127.0.0.1 that trusts any certificate (the test checks the listener, not its certificate). */
  public static Socket tls(int port) throws IOException, GeneralSecurityException {
    SSLContext context = TrustAll.context();
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(LOOPBACK, port);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.startHandshake();
    return socket;
  }

  /** Writes messages framed with their 2-byte length (RFC 7766), all in one write. */
  public static void write(Socket socket, byte[]... messages) throws IOException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(all);
    for (byte[] message : messages) {
      out.writeShort(message.length);
      out.write(message);
    }
    socket.getOutputStream().write(all.toByteArray());
    socket.getOutputStream().flush();
  }

  /** The next framed message of the stream. */
  public static Message read(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] message = new byte[in.readUnsignedShort()];
    in.readFully(message);
    return new Message(message);
  }

  /** Whether the server closed the stream (end of stream or reset) within 5 s, with nothing more to read. */
  public static boolean closedByServer(Socket socket) throws IOException {
    try {
      return socket.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
