package dev.vxnet.load;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * DNS load: the queries of a names file sent in turn over UDP (each socket keeps --window queries in flight, told apart
 * by message ID), TCP (RFC 7766: --window queries pipelined on each connection, answers in any order) or
 * DNS-over-HTTPS (RFC 8484: GET with {@code ?dns=} or POST of the message, through {@link HttpLoad}). Queries are made
 * once with dnsjava (RD set, no EDNS). An answer must be a response (QR) to the same question, else it is a MISMATCH;
 * NOERROR and NXDOMAIN are answers, any other response code is an RCODE error; each code is counted.
 */
final class DnsLoad extends Load {

  static final String RCODE = "rcode ";
  static final String TRUNCATED = "truncated";
  static final String RECONNECTS = "reconnects";
  private static final int HEADER_BYTES = 12;

  /** One query from the names file: its wire form with ID 0, and where its question ends. */
  record Query(byte[] wire, String text) {
  }

  private final List<Query> queries;
  private final String address;
  private final HttpLoad overHttps;

  private DnsLoad(Settings settings, List<Query> queries, String address) {
    super(settings);
    this.queries = queries;
    this.address = address;
    this.overHttps = address == null ? new HttpLoad(settings, new OverHttps()) : null;
  }

  /**
   * The DNS load of --names.
   *
   * @param address the server's IP literal for UDP and TCP, null for DNS over HTTPS
   * @throws BadOption naming the file and line of a name or type that cannot be queried, or an empty file
   */
  static DnsLoad of(Settings settings, String address) throws BadOption {
    List<String> lines;
    try {
      lines = Files.readAllLines(settings.names(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw BadOption.expected(Option.NAMES, "a readable UTF-8 file (" + e.getMessage() + ")", settings.names().toString());
    }
    List<Query> queries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      String where = settings.names() + ":" + (i + 1);
      String[] fields = line.split("\\s+");
      if (fields.length > 2) {
        throw new BadOption(where + ": expected 'NAME [TYPE]', got '" + line + "'");
      }
      int type = fields.length == 2 ? Settings.type(fields[1], where) : settings.defaultType();
      try {
        Name name = Name.fromString(fields[0], Name.root);
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().setID(0);
        queries.add(new Query(query.toWire(), name + " " + org.xbill.DNS.Type.string(type)));
      } catch (TextParseException e) {
        throw new BadOption(where + ": expected a domain name, got '" + fields[0] + "' (" + e.getMessage() + ")");
      }
    }
    if (queries.isEmpty()) {
      throw new BadOption("--names: " + settings.names() + " has no names (one 'NAME [TYPE]' a line)");
    }
    return new DnsLoad(settings, List.copyOf(queries), address);
  }

  @Override
  List<Session> sessions(Worker worker, int first, int count) {
    if (overHttps != null) {
      return overHttps.sessions(worker, first, count);
    }
    NetClient tcp = settings.transport() == Settings.DnsTransport.TCP ? netClient(worker) : null;
    return numbered(first, count, index -> tcp == null ? new UdpSocket(worker, index) : new TcpConnection(worker, tcp, index));
  }

  @Override
  String unit() {
    return "queries";
  }

  @Override
  void report(JsonObject result, Totals totals) {
    if (overHttps != null) {
      overHttps.report(result, totals);
    }
    Map<String, Object> rcodes = new TreeMap<>();
    totals.tallies.forEach((key, count) -> {
      if (key.startsWith(RCODE)) {
        rcodes.put(key.substring(RCODE.length()), count);
      }
    });
    result.put("rcodes", new JsonObject(rcodes)).put("truncated", totals.tally(TRUNCATED)).put("names", queries.size());
    if (settings.transport() == Settings.DnsTransport.TCP) {
      result.put("reconnects", totals.tally(RECONNECTS));
    }
  }

  /**
   * Checks an answer to {@code query} (the ID was matched by the caller) and counts its response code.
   *
   * @return null when it answers the question, else why not
   */
  private static HttpLoad.Failure check(Worker worker, ByteBuf answer, int index, int length, Query query) {
    byte[] wire = query.wire();
    if (length < wire.length || (answer.getByte(index + 2) & 0x80) == 0 || answer.getUnsignedShort(index + 4) != 1) {
      return new HttpLoad.Failure(ErrorKind.MISMATCH, "not a response with one question, to " + query.text());
    }
    for (int i = HEADER_BYTES; i < wire.length; i++) {
      if (answer.getByte(index + i) != wire[i] && !sameQuestion(answer, index, length, query)) {
        return new HttpLoad.Failure(ErrorKind.MISMATCH, "the answer is to another question than " + query.text());
      }
    }
    if ((answer.getByte(index + 2) & 0x02) != 0) {
      worker.tally(TRUNCATED);
    }
    int rcode = answer.getByte(index + 3) & 0x0f;
    worker.tally(RCODE + Rcode.string(rcode));
    return rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN ? null
      : new HttpLoad.Failure(ErrorKind.RCODE, Rcode.string(rcode) + " for " + query.text());
  }

  /** Names compare without regard to case (RFC 4343): a server may answer in another case than asked. */
  private static boolean sameQuestion(ByteBuf answer, int index, int length, Query query) {
    try {
      byte[] bytes = new byte[length];
      answer.getBytes(index, bytes);
      Record asked = new Message(query.wire()).getQuestion();
      Record got = new Message(bytes).getSection(Section.QUESTION).get(0);
      return asked.getName().equals(got.getName()) && asked.getType() == got.getType() && asked.getDClass() == got.getDClass();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The query's wire form with {@code id}. */
  private static ByteBuf withId(Query query, int id, int prefixBytes) {
    byte[] wire = query.wire();
    ByteBuf buf = io.netty.buffer.Unpooled.buffer(prefixBytes + wire.length);
    if (prefixBytes == 2) {
      buf.writeShort(wire.length);
    }
    buf.writeBytes(wire);
    buf.setShort(prefixBytes, id);
    return buf;
  }

  /**
   * Message IDs of one socket or connection: the low bits name the window slot, the high bits count how often the
   * slot was used, so an answer to an expired query does not match its slot's next one.
   */
  private abstract class Do53Session extends Session {

    protected final InFlight inFlight = new InFlight(settings.window());
    private final int slotBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, settings.window() - 1));
    private final int[] uses = new int[settings.window()];
    private final Query[] asked = new Query[settings.window()];
    private long next;

    Do53Session(Worker worker, int index) {
      super(worker, settings.window());
      this.next = index * 7L;
    }

    /** Picks the next query and a message ID for it; returns the wire form with {@code prefixBytes} of length. */
    protected final ByteBuf nextQuery(long intendedAt, long now, int prefixBytes) {
      int slot = inFlight.next();
      int id = ((++uses[slot] << slotBits) | slot) & 0xffff;
      Query query = queries.get((int) (next++ % queries.size()));
      asked[slot] = query;
      inFlight.take(slot, id, intendedAt, now);
      return withId(query, id, prefixBytes);
    }

    /** Handles one DNS message received; false when it matched no query in flight. */
    protected final boolean answer(ByteBuf message, int index, int length) {
      if (length < HEADER_BYTES) {
        return false;
      }
      int id = message.getUnsignedShort(index);
      int slot = id & ((1 << slotBits) - 1);
      if (!inFlight.awaits(slot, id)) {
        return false;
      }
      inFlight.release(slot);
      HttpLoad.Failure wrong = check(worker, message, index, length, asked[slot]);
      if (wrong == null) {
        succeeded(inFlight.intended(slot), inFlight.sentAt(slot), length);
      } else {
        failed(wrong.kind, wrong.getMessage());
      }
      return true;
    }

    @Override
    void expire(long deadline) {
      for (int slot = inFlight.expired(deadline); slot >= 0; slot = inFlight.expired(deadline)) {
        inFlight.release(slot);
        timedOut(slot);
      }
    }

    protected void timedOut(int slot) {
      failed(ErrorKind.TIMEOUT, "no answer within " + settings.timeoutMs() + " ms to " + asked[slot].text());
    }

    /** The queries still unanswered, again with their IDs, for a new connection. */
    protected final List<ByteBuf> unanswered(int prefixBytes) {
      List<ByteBuf> again = new ArrayList<>();
      for (int slot = 0; slot < inFlight.window(); slot++) {
        if (inFlight.busy(slot)) {
          again.add(withId(asked[slot], inFlight.tag(slot), prefixBytes));
        }
      }
      return again;
    }
  }

  private final class UdpSocket extends Do53Session {

    private ConnectedUdp socket;

    UdpSocket(Worker worker, int index) {
      super(worker, index);
    }

    @Override
    Future<?> open() {
      return ConnectedUdp.open(worker, address, settings.port(), 65_535, this::received).onSuccess(open -> socket = open);
    }

    @Override
    protected void send(long intendedAt, long now) {
      socket.send(nextQuery(intendedAt, now, 0));
    }

    private void received(ByteBuf data) {
      if (!answer(data, data.readerIndex(), data.readableBytes())) {
        worker.tally(UdpEcho.STRAY);
      }
    }

    @Override
    Future<?> close() {
      return markClosed() && socket != null ? socket.close() : Future.succeededFuture();
    }
  }

  /** RFC 7766: each message after a 2-byte length; queries pipelined, answers matched by ID. */
  private final class TcpConnection extends Do53Session {

    private final NetClient client;
    private NetSocket socket;
    private Buffer pending = Buffer.buffer();

    TcpConnection(Worker worker, NetClient client, int index) {
      super(worker, index);
      this.client = client;
    }

    @Override
    Future<?> open() {
      return client.connect(settings.port(), address).onSuccess(connected -> {
        socket = connected;
        pending = Buffer.buffer();
        connected.handler(this::received);
        connected.exceptionHandler(failure -> { }); // a reset: the close that follows reconnects
        connected.closeHandler(closed -> reconnect());
      });
    }

    /**
     * Servers close DNS connections after a number of queries or some idle time (RFC 7766 section 6.2.3; dnsmasq
     * after 100 queries): like a resolver, connect again and send the unanswered queries again (their latency still
     * counts from their first send). Only a failed connect fails them.
     */
    private void reconnect() {
      if (!isOpen()) {
        return;
      }
      worker.tally(RECONNECTS);
      socket = null;
      open().onSuccess(connected -> {
        for (ByteBuf query : unanswered(2)) {
          socket.write(BufferInternal.buffer(query));
        }
        pump();
      }).onFailure(failure -> lost(ErrorKind.CLOSED, "the server closed the connection and a new one failed: "
        + Load.describe(failure)));
    }

    @Override
    protected void send(long intendedAt, long now) {
      ByteBuf query = nextQuery(intendedAt, now, 2);
      if (socket != null) { // else it goes with the unanswered ones once connected again
        socket.write(BufferInternal.buffer(query));
      }
    }

    private void received(Buffer data) {
      pending = pending.length() == 0 ? data : pending.appendBuffer(data);
      ByteBuf bytes = ((BufferInternal) pending).getByteBuf();
      int index = bytes.readerIndex();
      int end = bytes.writerIndex();
      while (end - index >= 2 && end - index - 2 >= bytes.getUnsignedShort(index)) {
        int length = bytes.getUnsignedShort(index);
        if (!answer(bytes, index + 2, length)) {
          worker.tally(UdpEcho.STRAY);
        }
        index += 2 + length;
      }
      pending = index == end ? Buffer.buffer() : pending.getBuffer(index - bytes.readerIndex(), end - bytes.readerIndex());
    }

    @Override
    Future<?> close() {
      return markClosed() && socket != null ? socket.close() : Future.succeededFuture();
    }
  }

  /** RFC 8484: the query with ID 0, POSTed as application/dns-message or sent as GET ?dns=base64url. */
  private final class OverHttps implements HttpLoad.Exchange {

    private final RequestOptions post;
    private final List<RequestOptions> gets = new ArrayList<>();

    OverHttps() {
      RequestOptions base = HttpLoad.requestOptions(settings).putHeader(HttpHeaders.ACCEPT, "application/dns-message");
      post = new RequestOptions(base).putHeader(HttpHeaders.CONTENT_TYPE, "application/dns-message");
      if (settings.method() == HttpMethod.GET) {
        String separator = base.getURI().contains("?") ? "&" : "?";
        for (Query query : queries) {
          gets.add(new RequestOptions(base).setURI(base.getURI() + separator + "dns="
            + Base64.getUrlEncoder().withoutPadding().encodeToString(query.wire())));
        }
      }
    }

    private Query query(long n) {
      return queries.get((int) (n % queries.size()));
    }

    @Override
    public RequestOptions options(long n) {
      return gets.isEmpty() ? post : gets.get((int) (n % queries.size()));
    }

    @Override
    public Buffer body(long n) {
      return gets.isEmpty() ? Buffer.buffer(query(n).wire()) : null;
    }

    @Override
    public Future<Long> read(Worker worker, HttpClientResponse response, long n) {
      return response.body().compose(body -> {
        if (response.statusCode() != 200) {
          return Future.failedFuture(new HttpLoad.Failure(ErrorKind.STATUS, "HTTP status " + response.statusCode()));
        }
        ByteBuf bytes = ((BufferInternal) body).getByteBuf();
        if (body.length() < HEADER_BYTES || bytes.getUnsignedShort(bytes.readerIndex()) != 0) {
          return Future.failedFuture(new HttpLoad.Failure(ErrorKind.MISMATCH, "not a DNS message with ID 0"));
        }
        HttpLoad.Failure wrong = check(worker, bytes, bytes.readerIndex(), body.length(), query(n));
        return wrong == null ? Future.succeededFuture((long) body.length()) : Future.failedFuture(wrong);
      });
    }
  }
}
