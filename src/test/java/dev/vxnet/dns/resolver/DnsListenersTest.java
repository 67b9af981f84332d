package dev.vxnet.dns.resolver;

import dev.vxnet.support.Await;
import dev.vxnet.bus.StatsCollector;
import dev.vxnet.https.TestCertificates;
import dev.vxnet.support.TrustAll;
import dev.vxnet.net.Listening;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.dns.resolver.DnsResolverVerticleTest.await;
import static dev.vxnet.dns.resolver.WireClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Do53 (UDP, TCP) and DoT listeners with real sockets, answered by the resolver from {@link TestDnsServer}: IDs,
 * flags, question and EDNS kept; truncation and TCP; every malformed or unwanted message with its RCODE and nothing
 * crashing; pipelined answers out of order; connection, idle and rate limits.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DnsListenersTest {

  private Vertx vertx;
  private TestDnsServer upstream;

  @BeforeEach
  void startUpstream(Vertx vertx) throws Exception {
    this.vertx = vertx;
    upstream = await(TestDnsServer.start(vertx, new TestZone(300, 3_600, 60)));
  }

  @AfterEach
  void stop() throws Exception {
    await(upstream.close());
  }

  /** The resolver with its listeners on free ports; DoT with the test CA's certificate for localhost. */
  private void deploy(JsonObject extra) throws Exception {
    TestCertificates certificates = TestCertificates.get();
    JsonObject config = DnsResolverVerticleTest.testConfig(new JsonObject()
      .put("upstreams", new JsonArray().add(upstream.address()))
      .put("timeout_ms", 5_000)
      .put("dot_enabled", true)
      .put("dot_host", "127.0.0.1")
      .put("dot_cert_path", certificates.serverCertPem.toString())
      .put("dot_key_path", certificates.serverKeyPem.toString())
      .mergeIn(extra));
    await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private int do53() {
    return Listening.port(vertx, DnsResolverVerticle.DO53);
  }

  private int dot() {
    return Listening.port(vertx, DnsResolverVerticle.DOT);
  }

  private JsonObject counters() throws Exception {
    await(StatsCollector.registerManifest(vertx, new JsonObject().put("dns", 1)));
    return await(StatsCollector.collect(vertx, 2_000)).getJsonObject("totals").getJsonObject("dns").getJsonObject("counters");
  }

  private static ExtendedErrorCodeOption extendedError(Message message) {
    return (ExtendedErrorCodeOption) message.getOPT().getOptions().get(0);
  }

  @Test
  void anAnswerKeepsTheIdFlagsQuestionAndEdnsOfTheQuery() throws Exception {
    deploy(new JsonObject());
    Message query = query(0x1234, "WwW.VxNeT.TeSt.", Type.A, 0);
    query.getHeader().setFlag(Flags.CD);
    query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message answer = WireClient.udp(do53(), query.toWire());
    assertEquals(0x1234, answer.getHeader().getID());
    assertTrue(answer.getHeader().getFlag(Flags.QR) && answer.getHeader().getFlag(Flags.RD) && answer.getHeader().getFlag(Flags.RA));
    assertTrue(answer.getHeader().getFlag(Flags.CD), "CD copied");
    assertFalse(answer.getHeader().getFlag(Flags.AA) || answer.getHeader().getFlag(Flags.AD) || answer.getHeader().getFlag(Flags.TC));
    assertEquals("WwW.VxNeT.TeSt.", answer.getQuestion().getName().toString(), "the question as asked, letter case too");
    assertEquals(List.of(TestZone.WWW_V4, TestZone.WWW_V4_SECOND),
      answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList());
    assertEquals(0, answer.getOPT().getVersion());
    assertEquals(1232, answer.getOPT().getPayloadSize(), "the server's own payload size");
    assertEquals(ExtendedFlags.DO, answer.getOPT().getFlags() & ExtendedFlags.DO, "DO echoed (RFC 3225)");

    Message plain = WireClient.udp(do53(), query(7, "www.vxnet.test.", Type.A, 0).toWire());
    assertNull(plain.getOPT(), "no EDNS asked, none answered");
    assertFalse(plain.getHeader().getFlag(Flags.CD));
    assertEquals(Rcode.NOERROR, plain.getRcode());
    assertEquals(1, upstream.queries(), "the second answer came from the cache");
  }

  @Test
  void aLargeAnswerIsTruncatedOnUdpAndWholeOverTcp() throws Exception {
    deploy(new JsonObject());
    Message truncated = WireClient.udp(do53(), query(1, TestZone.BIG_TXT_NAME, Type.TXT, 1232).toWire());
    assertTrue(truncated.getHeader().getFlag(Flags.TC), "12 x 200 bytes of TXT do not fit 1232 bytes");
    assertEquals(0, truncated.getSection(Section.ANSWER).size());
    assertEquals(TestZone.BIG_TXT_NAME, truncated.getQuestion().getName().toString());
    assertTrue(WireClient.udp(do53(), query(2, TestZone.BIG_TXT_NAME, Type.TXT, 0).toWire()).getHeader().getFlag(Flags.TC));
    byte[] small = WireClient.udpBytes(do53(), query(3, "txt.vxnet.test.", Type.TXT, 512).toWire());
    assertTrue(small.length <= 512);
    try (Socket tcp = WireClient.tcp(do53())) {
      WireClient.write(tcp, query(4, TestZone.BIG_TXT_NAME, Type.TXT, 1232).toWire());
      Message whole = WireClient.read(tcp);
      assertFalse(whole.getHeader().getFlag(Flags.TC));
      assertEquals(TestZone.BIG_TXT_STRINGS, whole.getSection(Section.ANSWER).get(0).rdataToString().split("\" \"").length);
    }
    assertTrue(counters().getLong("truncated") >= 2);
  }

  @Test
  void everyMalformedOrUnwantedMessageGetsItsRcodeAndNothingCrashes() throws Exception {
    deploy(new JsonObject());
    List<byte[]> sent = new ArrayList<>();
    sent.add(new byte[] {1, 2, 3, 4, 5}); // shorter than a header: dropped
    Message response = query(2, "www.vxnet.test.", Type.A, 0);
    response.getHeader().setFlag(Flags.QR);
    sent.add(response.toWire()); // a response: dropped
    sent.add("this is not a DNS message at all".getBytes()); // FORMERR, ID 0x7468 ("th")
    sent.add(new Message(4).toWire()); // no question: FORMERR
    Message two = query(5, "www.vxnet.test.", Type.A, 0);
    two.addRecord(Record.newRecord(Name.fromConstantString("mail.vxnet.test."), Type.A, DClass.IN), Section.QUESTION);
    sent.add(two.toWire()); // two questions: FORMERR (RFC 9619)
    sent.add(Base64.getUrlDecoder().decode("AAADAAABAAAAAAAAA3d3dw")); // TC and a cut-off question: FORMERR
    Message chaos = new Message(7);
    chaos.addRecord(Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH), Section.QUESTION);
    chaos.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    sent.add(chaos.toWire()); // class CH: REFUSED, EDE 21
    sent.add(query(8, "vxnet.test.", Type.ANY, 1232).toWire()); // ANY: REFUSED
    sent.add(query(9, "vxnet.test.", Type.AXFR, 0).toWire()); // a zone transfer: REFUSED
    Message notify = query(10, "vxnet.test.", Type.SOA, 0);
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    sent.add(notify.toWire()); // NOTIMP
    Message twoOpts = query(11, "www.vxnet.test.", Type.A, 1232);
    twoOpts.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
    sent.add(twoOpts.toWire()); // FORMERR, without OPT
    Message version1 = query(12, "www.vxnet.test.", Type.A, 0);
    version1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    sent.add(version1.toWire()); // BADVERS
    sent.add(query(13, "bad\\032name.vxnet.test.", Type.A, 1232).toWire()); // a name vxnet refuses
    sent.add(query(14, "www.vxnet.test.", Type.A, 0).toWire()); // and then a good one

    try (DatagramSocket socket = WireClient.udpSocket()) {
      for (byte[] message : sent) {
        WireClient.send(socket, do53(), message);
      }
      Message formErr = WireClient.receive(socket);
      assertEquals(0x7468, formErr.getHeader().getID(), "the first two got no answer");
      assertEquals(Rcode.FORMERR, formErr.getRcode());
      assertNull(formErr.getQuestion());
      assertEquals(List.of(4, Rcode.FORMERR), idAndRcode(WireClient.receive(socket)));
      assertEquals(List.of(5, Rcode.FORMERR), idAndRcode(WireClient.receive(socket)));
      assertEquals(List.of(0, Rcode.FORMERR), idAndRcode(WireClient.receive(socket)));
      Message refused = WireClient.receive(socket);
      assertEquals(List.of(7, Rcode.REFUSED), idAndRcode(refused));
      assertEquals(ExtendedErrorCodeOption.NOT_SUPPORTED, extendedError(refused).getErrorCode());
      assertEquals("class CH: vxnet forwards questions of class IN only", extendedError(refused).getText());
      Message any = WireClient.receive(socket);
      assertEquals(List.of(8, Rcode.REFUSED), idAndRcode(any));
      assertTrue(extendedError(any).getText().startsWith("type 255 (ANY) is a query meta-type"));
      assertEquals(List.of(9, Rcode.REFUSED), idAndRcode(WireClient.receive(socket)));
      Message notImp = WireClient.receive(socket);
      assertEquals(List.of(10, Rcode.NOTIMP), idAndRcode(notImp));
      assertEquals(Opcode.NOTIFY, notImp.getHeader().getOpcode());
      Message optFormErr = WireClient.receive(socket);
      assertEquals(List.of(11, Rcode.FORMERR), idAndRcode(optFormErr));
      assertNull(optFormErr.getOPT(), "RFC 6891 section 7: no OPT in answer to a malformed OPT");
      Message badVers = WireClient.receive(socket);
      assertEquals(List.of(12, Rcode.BADVERS), idAndRcode(badVers));
      assertEquals(0, badVers.getOPT().getVersion());
      Message badName = WireClient.receive(socket);
      assertEquals(List.of(13, Rcode.REFUSED), idAndRcode(badName));
      assertTrue(extendedError(badName).getText().startsWith("name label \"bad name\" contains ' '"), extendedError(badName).getText());
      assertEquals(List.of(14, Rcode.NOERROR), idAndRcode(WireClient.receive(socket)), "and the server answers on");
    }
    JsonObject counters = counters();
    assertEquals(2L, counters.getLong("dropped"));
    assertEquals(5L, counters.getLong("formerr"));
    assertEquals(4L, counters.getLong("refused"));
    assertEquals(1L, counters.getLong("notimp"));
    assertEquals(1L, counters.getLong("badvers"));
    assertEquals(1, upstream.queries(), "only the good question went upstream");
  }

  private static List<Integer> idAndRcode(Message message) {
    return List.of(message.getHeader().getID(), message.getRcode());
  }

  @Test
  void aMessageThatIsNoQueryClosesAStream() throws Exception {
    deploy(new JsonObject());
    try (Socket tcp = WireClient.tcp(do53())) {
      WireClient.write(tcp, new byte[] {0, 1, 2});
      assertTrue(WireClient.closedByServer(tcp));
    }
    try (Socket tcp = WireClient.tcp(do53())) {
      WireClient.write(tcp, "a TCP query that is garbage".getBytes());
      assertEquals(Rcode.FORMERR, WireClient.read(tcp).getRcode(), "a header's worth of garbage gets FORMERR");
      WireClient.write(tcp, query(3, "vxnet.test.", Type.AXFR, 0).toWire());
      assertEquals(Rcode.REFUSED, WireClient.read(tcp).getRcode(), "no zone transfers over TCP either");
    }
  }

  @Test
  void tcpAnswersPipelinedQueriesAsTheyAreResolved() throws Exception {
    deploy(new JsonObject());
    pipelined(WireClient.tcp(do53()));
  }

  @Test
  void dotAnswersPipelinedQueriesAsTheyAreResolved() throws Exception {
    deploy(new JsonObject());
    pipelined(WireClient.tls(dot()));
    assertEquals(1L, counters().getLong("dot_connections"));
  }

  /**
   * A client that half-closes after its queries (its FIN ends its sending only, RFC 9293 section 3.6) gets every answer,
   * also those the upstream is slow to give, then the connection closes. Before, the FIN closed it and they were lost.
   */
  @Test
  void queriesSentBeforeTheClientsFinAreAllAnsweredThenTheConnectionCloses() throws Exception {
    deploy(new JsonObject().put("max_pipelined", 1)); // the second query waits, unread, while the first is resolved
    upstream.slow(300);
    try (Socket tcp = WireClient.tcp(do53())) {
      WireClient.write(tcp, query(1, "www.vxnet.test.", Type.A, 0).toWire());
      WireClient.write(tcp, query(2, "mail.vxnet.test.", Type.A, 0).toWire());
      tcp.shutdownOutput();
      List<Integer> ids = new ArrayList<>(List.of(WireClient.read(tcp).getHeader().getID(), WireClient.read(tcp).getHeader().getID()));
      ids.sort(null);
      assertEquals(List.of(1, 2), ids);
      assertTrue(WireClient.closedByServer(tcp), "closed after the last answer");
    }
    // DoT: a FIN under the TLS session, without close_notify (OpenSSL's engine closes both ways at a close_notify)
    try (Socket under = WireClient.tcp(dot());
         Socket tls = TrustAll.context().getSocketFactory().createSocket(under, "localhost", dot(), true)) {
      WireClient.write(tls, query(3, "www.vxnet.test.", Type.AAAA, 0).toWire());
      under.shutdownOutput();
      assertEquals(3, WireClient.read(tls).getHeader().getID());
    }
  }

  /** A slow question first, a cached one second, on one connection: the cached answer comes first (RFC 7766 6.2.1.1). */
  private void pipelined(Socket socket) throws Exception {
    try (socket) {
      WireClient.write(socket, query(1, "mail.vxnet.test.", Type.A, 0).toWire());
      assertEquals(1, WireClient.read(socket).getHeader().getID(), "mail.vxnet.test is now cached");
      upstream.slow(1_000);
      WireClient.write(socket, query(2, "www.vxnet.test.", Type.AAAA, 0).toWire(), query(3, "mail.vxnet.test.", Type.A, 0).toWire());
      Message first = WireClient.read(socket);
      Message second = WireClient.read(socket);
      assertEquals(List.of(3, 2), List.of(first.getHeader().getID(), second.getHeader().getID()));
      assertEquals(InetAddress.getByName(TestZone.WWW_V6), ((AAAARecord) second.getSection(Section.ANSWER).get(0)).getAddress());
    }
  }

  @Test
  void connectionsOverTheLimitAreClosedAndIdleOnesToo() throws Exception {
    deploy(new JsonObject().put("max_connections", 1).put("idle_timeout_ms", 1_000));
    try (Socket first = WireClient.tcp(do53()); Socket second = WireClient.tcp(do53())) {
      assertTrue(WireClient.closedByServer(second), "over dns.max_connections");
      long opened = System.nanoTime();
      assertTrue(WireClient.closedByServer(first), "idle for dns.idle_timeout_ms");
      assertTrue(System.nanoTime() - opened >= TimeUnit.MILLISECONDS.toNanos(900), "not before the idle timeout");
    }
    assertEquals(1L, counters().getLong("tcp_refused_connections"));
  }

  @Test
  void queriesPerSourceAreRateLimited() throws Exception {
    deploy(new JsonObject().put("rate_limit_per_second", 1).put("rate_limit_burst", 2));
    try (DatagramSocket socket = WireClient.udpSocket()) {
      for (int id = 1; id <= 3; id++) {
        WireClient.send(socket, do53(), query(id, "www.vxnet.test.", Type.A, 0).toWire());
      }
      assertEquals(1, WireClient.receive(socket).getHeader().getID());
      assertEquals(2, WireClient.receive(socket).getHeader().getID());
      // The third gets no answer to wait for: wait for its count instead.
      JsonObject counters = Await.result("the third query read and dropped", Duration.ofSeconds(10), () -> {
        JsonObject now = counters();
        assertEquals(1L, now.getLong("udp_rate_limited", 0L));
        return now;
      });
      assertEquals(3L, counters.getLong("udp_queries"));
      assertEquals(1L, counters.getLong("udp_rate_limited"), "the third was read and dropped");
      socket.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class, () -> WireClient.receive(socket));
    }
  }

  @Test
  void answerBytesPerSourceAreBoundedNoAmplification() throws Exception {
    deploy(new JsonObject().put("rate_limit_bytes_per_second", 1));
    int shrunk = 0;
    for (int id = 1; id <= 40; id++) {
      byte[] query = query(id, "www.vxnet.test.", Type.A, 1232).toWire();
      Message answer = WireClient.udp(do53(), query);
      assertEquals(id, answer.getHeader().getID());
      if (answer.getHeader().getFlag(Flags.TC)) {
        shrunk++;
        assertEquals(0, answer.getSection(Section.ANSWER).size());
        assertTrue(answer.toWire().length <= query.length, "no larger than the query");
      }
    }
    assertTrue(shrunk >= 10, "a burst of 1232 bytes, then TC: " + shrunk + " of 40 shrunk");
    assertEquals(shrunk, counters().getLong("udp_shrunk"));
  }

  @Test
  void sourcePortsThatAnswerAnythingGetNothing() {
    assertFalse(Do53Udp.answerable(0));
    assertFalse(Do53Udp.answerable(7), "echo");
    assertFalse(Do53Udp.answerable(19), "chargen");
    assertFalse(Do53Udp.answerable(123), "NTP");
    assertFalse(Do53Udp.answerable(1900), "SSDP");
    assertFalse(Do53Udp.answerable(11211), "memcached");
    assertTrue(Do53Udp.answerable(53), "another DNS server");
    assertTrue(Do53Udp.answerable(1024));
    assertTrue(Do53Udp.answerable(54321));
  }
}
