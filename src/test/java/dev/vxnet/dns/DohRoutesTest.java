package dev.vxnet.dns;

import dev.vxnet.dns.resolver.DnsResolverVerticle;
import dev.vxnet.dns.resolver.DnsResolverVerticleTest;
import dev.vxnet.dns.resolver.QueryMutations;
import dev.vxnet.dns.resolver.TestDnsServer;
import dev.vxnet.dns.resolver.TestZone;
import dev.vxnet.dns.resolver.ThrownLog;
import dev.vxnet.support.WebMount;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
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

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.vxnet.dns.resolver.DnsResolverVerticleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS over HTTPS through the routes mounted on a real HTTPS server (self-signed certificate, HTTP/2 by ALPN as DoH
 * clients use it), answered by the resolver service over the event bus from an in-JVM DNS server.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DohRoutesTest {

  private static final long TTL = DnsResolverVerticleTest.TTL;
  /** Made once: generating a key pair takes seconds on a loaded machine. */
  private static SelfSignedCertificate certificate;

  private Vertx vertx;
  private TestDnsServer dns;
  private HttpServer https;
  private WebClient client;
  private String resolver;

  @BeforeAll
  static void createCertificate() {
    certificate = SelfSignedCertificate.create("localhost");
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    dns = await(TestDnsServer.start(vertx, new TestZone(TTL, DnsResolverVerticleTest.SOA_TTL, DnsResolverVerticleTest.SOA_MINIMUM)));
    resolver = await(vertx.deployVerticle(new DnsResolverVerticle(), new DeploymentOptions()
      .setConfig(DnsResolverVerticleTest.testConfig(new JsonObject().put("upstreams", new JsonArray().add(dns.address()))
        .put("timeout_ms", 5_000)))));
    serve(0); // every request asks the resolver; the microcache has its own test
  }

  /** The setup's server and client replaced by ones whose microcache keeps answers for a minute. */
  private void serveWithMicrocache() throws Exception {
    client.close();
    await(https.close());
    serve(60_000);
  }

  /** The routes on a new HTTPS server with {@code doh_cache_ms}, and a client of it. */
  private void serve(long dohCacheMs) throws Exception {
    Router router = WebMount.router(vertx, DohRoutes.ROUTES, new JsonObject().put("service_timeout_ms", 10_000)
      .put("doh_cache_ms", dohCacheMs));
    https = await(vertx.createHttpServer(new HttpServerOptions()
        .setSsl(true).setUseAlpn(true).setKeyCertOptions(certificate.keyCertOptions()))
      .requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions()
      .setSsl(true).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2)
      .setTrustOptions(certificate.trustOptions()).setVerifyHost(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(https.actualPort()));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    await(https.close());
    await(dns.close());
  }

  private HttpResponse<Buffer> get(String uri) throws TimeoutException {
    return await(client.get(uri).send());
  }

  private HttpResponse<Buffer> post(String contentType, byte[] body) throws TimeoutException {
    return await(client.post("/dns-query").putHeader("Content-Type", contentType).sendBuffer(Buffer.buffer(body)));
  }

  private static Message query(int id, String name, int type, boolean edns) {
    Message query = new Message(id);
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(Record.newRecord(Name.fromConstantString(name), type, DClass.IN), Section.QUESTION);
    if (edns) {
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return query;
  }

  private static String base64url(byte[] wire) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(wire);
  }

  private static Message dnsAnswer(HttpResponse<Buffer> response) throws Exception {
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("application/dns-message", response.getHeader("Content-Type"));
    return new Message(response.body().getBytes());
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String message) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals(new JsonObject().put("error", new JsonObject().put("code", "BAD_REQUEST").put("message", message)),
      response.bodyAsJsonObject());
  }

  private static JsonObject jsonRecord(String name, int type, long ttl, String data) {
    return new JsonObject().put("name", name).put("type", type).put("TTL", ttl).put("data", data);
  }

  @Test
  void jsonApiAnswersInTheGoogleAndCloudflareFormat() throws Exception {
    HttpResponse<Buffer> response = get("/resolve?name=www.vxnet.test&type=A");
    assertEquals(HttpVersion.HTTP_2, response.version());
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("Content-Type"));
    assertEquals("max-age=" + TTL, response.getHeader("Cache-Control"));
    assertEquals(new JsonObject()
      .put("Status", 0).put("TC", false).put("RD", true).put("RA", true).put("AD", false).put("CD", false)
      .put("Question", new JsonArray().add(new JsonObject().put("name", "www.vxnet.test.").put("type", 1)))
      .put("Answer", new JsonArray()
        .add(jsonRecord("www.vxnet.test.", 1, TTL, TestZone.WWW_V4))
        .add(jsonRecord("www.vxnet.test.", 1, TTL, TestZone.WWW_V4_SECOND))), response.bodyAsJsonObject());

    JsonObject aaaa = get("/resolve?name=www.vxnet.test&type=28").bodyAsJsonObject();
    assertEquals(new JsonArray().add(jsonRecord("www.vxnet.test.", 28, TTL, TestZone.WWW_V6)), aaaa.getJsonArray("Answer"));
    JsonObject alias = get("/resolve?name=alias.vxnet.test&type=a").bodyAsJsonObject();
    assertEquals(jsonRecord("alias.vxnet.test.", 5, TTL, "www.vxnet.test."), alias.getJsonArray("Answer").getJsonObject(0));
    JsonObject ptr = get("/resolve?name=" + TestZone.WWW_V4 + "&type=PTR").bodyAsJsonObject();
    assertEquals("10.2.0.192.in-addr.arpa.", ptr.getJsonArray("Question").getJsonObject(0).getString("name"));
    assertEquals("www.vxnet.test.", ptr.getJsonArray("Answer").getJsonObject(0).getString("data"));
    JsonObject mx = get("/resolve?name=vxnet.test&type=MX&cd=1&do=0").bodyAsJsonObject();
    assertTrue(mx.getBoolean("CD"));
    assertEquals("10 mail.vxnet.test.", mx.getJsonArray("Answer").getJsonObject(0).getString("data"));
    assertEquals("application/dns-json", get("/resolve?name=vxnet.test&ct=application/dns-json").getHeader("Content-Type"));
  }

  @Test
  void jsonApiNegativeAnswersCarryTheAuthority() throws Exception {
    HttpResponse<Buffer> response = get("/resolve?name=missing.vxnet.test&type=A");
    assertEquals(200, response.statusCode());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(3, body.getInteger("Status"));
    assertNull(body.getJsonArray("Answer"), "an empty Answer is left out");
    long negativeTtl = DnsResolverVerticleTest.SOA_MINIMUM;
    assertEquals(new JsonArray().add(jsonRecord("vxnet.test.", 6, negativeTtl,
      "ns1.vxnet.test. hostmaster.vxnet.test. 2026010101 3600 600 86400 " + negativeTtl)), body.getJsonArray("Authority"));
    assertEquals("max-age=" + negativeTtl, response.getHeader("Cache-Control"));
    JsonObject nodata = get("/resolve?name=v4only.vxnet.test&type=AAAA").bodyAsJsonObject();
    assertEquals(0, nodata.getInteger("Status"));
    assertEquals(6, nodata.getJsonArray("Authority").getJsonObject(0).getInteger("type"));
  }

  @Test
  void jsonApiRefusesBadInputWith400() throws Exception {
    assertError(get("/resolve?type=A"), 400, "name: missing; expected a domain name such as example.com");
    assertError(get("/resolve?name=&type=A"), 400, "name: is empty; expected a domain name such as example.com");
    assertError(get("/resolve?name=bad%20name.test"), 400,
      "name: label \"bad name\" contains ' '; only letters, digits, hyphens and underscores are allowed (internationalised names as xn--)");
    assertError(get("/resolve?name=" + "a".repeat(64) + ".test"), 400,
      "name: label \"aaaaaaaaaaaaaaaaaaaa...\" is 64 characters long; at most 63 are allowed");
    assertTrue(get("/resolve?name=a.test&type=BOGUS").bodyAsJsonObject().getJsonObject("error").getString("message")
      .startsWith("type: unknown type \"BOGUS\""));
    assertTrue(get("/resolve?name=a.test&type=ANY").bodyAsJsonObject().getJsonObject("error").getString("message")
      .startsWith("type: type 255 (ANY) is a query meta-type"));
    assertError(get("/resolve?name=a.test&type=ADDR"), 400, "type: ADDR is two questions and only for the event bus; ask A and AAAA");
    assertError(get("/resolve?name=a.test&tpye=A"), 400, "tpye: unknown parameter (known: name, type, cd, do, ct, random_padding)");
    assertError(get("/resolve?name=a.test&name=b.test"), 400, "name: given more than once");
    assertError(get("/resolve?name=a.test&cd=maybe"), 400, "cd: expected 0, 1, true or false, got \"maybe\"");
    assertError(get("/resolve?name=a.test&ct=application/dns-message"), 400,
      "ct: only application/dns-json here; DNS messages are served at /dns-query");
    assertEquals(0, dns.queries(), "nothing invalid reached the upstream");
  }

  @Test
  void rfc8484GetAnswersWithTheClientsId() throws Exception {
    Message query = query(0, "www.vxnet.test.", Type.A, false);
    HttpResponse<Buffer> response = get("/dns-query?dns=" + base64url(query.toWire()));
    Message answer = dnsAnswer(response);
    assertEquals("max-age=" + TTL, response.getHeader("Cache-Control"));
    assertEquals(0, answer.getHeader().getID());
    assertTrue(answer.getHeader().getFlag(Flags.QR));
    assertTrue(answer.getHeader().getFlag(Flags.RD));
    assertTrue(answer.getHeader().getFlag(Flags.RA));
    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertEquals(query.getQuestion(), answer.getQuestion());
    assertEquals(List.of(TestZone.WWW_V4, TestZone.WWW_V4_SECOND),
      answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList());
    assertNull(answer.getOPT(), "no EDNS asked, none given");

    Message withEdns = dnsAnswer(get("/dns-query?dns=" + base64url(query(4242, "alias.vxnet.test.", Type.AAAA, true).toWire())));
    assertEquals(4242, withEdns.getHeader().getID());
    assertTrue(withEdns.getOPT() != null, "EDNS in the query: OPT in the response (RFC 6891)");
    assertEquals(List.of(Type.CNAME, Type.AAAA), withEdns.getSection(Section.ANSWER).stream().map(Record::getType).toList());
  }

  @Test
  void rfc8484PostAnswersTheSameWay() throws Exception {
    Message answer = dnsAnswer(post("application/dns-message", query(0, "_sip._tcp.vxnet.test.", Type.SRV, true).toWire()));
    assertEquals("10 60 5060 sip.vxnet.test.", answer.getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(TTL, answer.getSection(Section.ANSWER).get(0).getTTL());

    HttpResponse<Buffer> negative = post("application/dns-message", query(7, "missing.vxnet.test.", Type.A, false).toWire());
    Message nxdomain = dnsAnswer(negative);
    assertEquals(7, nxdomain.getHeader().getID());
    assertEquals(Rcode.NXDOMAIN, nxdomain.getRcode());
    assertEquals(Type.SOA, nxdomain.getSection(Section.AUTHORITY).get(0).getType());
    assertEquals("max-age=" + DnsResolverVerticleTest.SOA_MINIMUM, negative.getHeader("Cache-Control"));

    Message noRecursion = query(9, "txt.vxnet.test.", Type.TXT, false);
    noRecursion.getHeader().unsetFlag(Flags.RD);
    Message txt = dnsAnswer(post("application/dns-message; charset=binary", noRecursion.toWire()));
    assertFalse(txt.getHeader().getFlag(Flags.RD), "RD is copied from the query");
    assertEquals("\"hello world\" \"second string\"", txt.getSection(Section.ANSWER).get(0).rdataToString());
  }

  @Test
  void malformedDohInputGets400NeverA500() throws Exception {
    assertError(get("/dns-query"), 400, "dns: missing; expected a DNS query in base64url (RFC 8484)");
    assertTrue(get("/dns-query?dns=***").bodyAsJsonObject().getJsonObject("error").getString("message")
      .startsWith("dns: not base64url (RFC 4648 section 5):"));
    assertEquals(400, get("/dns-query?dns=AAAA").statusCode(), "3 bytes: shorter than a DNS header");
    assertError(get("/dns-query?dns=" + base64url(query(0, "a.test.", Type.A, false).toWire()) + "&x=1"), 400,
      "x: unknown parameter (RFC 8484 GET takes dns=<base64url>)");
    assertError(get("/dns-query?dns=" + base64url(query(0, "a.test.", Type.A, false).toWire()) + "&ct=text/plain"), 400,
      "ct: only application/dns-message here; JSON is served at /resolve");
    byte[] garbage = "this is not a DNS message at all, just text".getBytes();
    assertTrue(post("application/dns-message", garbage).bodyAsJsonObject().getJsonObject("error").getString("message")
      .startsWith("not a DNS message:"));
    byte[] truncated = query(0, "www.vxnet.test.", Type.A, false).toWire();
    assertEquals(400, post("application/dns-message", Arrays.copyOf(truncated, truncated.length - 3)).statusCode());
    assertError(post("application/dns-message", new byte[0]), 400, "body: empty; expected a DNS query (application/dns-message)");
    assertError(post("application/json", query(0, "a.test.", Type.A, false).toWire()), 415,
      "Content-Type: expected application/dns-message, got application/json");
    assertEquals(413, post("application/dns-message", new byte[70_000]).statusCode());

    Message response = query(0, "www.vxnet.test.", Type.A, false);
    response.getHeader().setFlag(Flags.QR);
    assertError(post("application/dns-message", response.toWire()), 400, "the DNS message is a response (QR set), not a query");
    Message twoQuestions = query(0, "www.vxnet.test.", Type.A, false);
    twoQuestions.addRecord(Record.newRecord(Name.fromConstantString("mail.vxnet.test."), Type.A, DClass.IN), Section.QUESTION);
    assertError(post("application/dns-message", twoQuestions.toWire()), 400,
      "the DNS query has 2 questions; exactly 1 is supported (RFC 9619)");
    Message noQuestion = new Message(5);
    assertError(post("application/dns-message", noQuestion.toWire()), 400,
      "the DNS query has 0 questions; exactly 1 is supported (RFC 9619)");
    assertEquals(0, dns.queries(), "nothing malformed reached the upstream");
  }

  /** Issue 9 row 10: the TC flag set and the question cut off after "www" (dnsjava then parses what it can). */
  @Test
  void aTruncatedQueryWithTheTcFlagIs400OnGetAndPost() throws Exception {
    String cutOff = "AAADAAABAAAAAAAAA3d3dw";
    String expected = "cut off: the header announces 1 record(s) in the QUESTIONS section, the message holds 0";
    assertError(get("/dns-query?dns=" + cutOff), 400, expected);
    assertError(post("application/dns-message", Base64.getUrlDecoder().decode(cutOff)), 400, expected);
    byte[] whole = query(0, "www.vxnet.test.", Type.A, true).toWire();
    byte[] trailing = Arrays.copyOf(whole, whole.length + 2);
    assertError(post("application/dns-message", trailing), 400, "2 byte(s) after the last record");
    Message twoOpts = query(0, "www.vxnet.test.", Type.A, true);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertError(post("application/dns-message", twoOpts.toWire()), 400, "2 OPT records; at most 1 is allowed (RFC 6891 section 6.1.1)");
    assertEquals(0, dns.queries());
  }

  /** Issue 9 row 7: dig +dnssec sets DO; the answer's OPT must have it too (RFC 3225 section 3). */
  @Test
  void theDoBitIsEchoed() throws Exception {
    Message query = query(21, "www.vxnet.test.", Type.A, false);
    query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message answer = dnsAnswer(post("application/dns-message", query.toWire()));
    assertEquals(ExtendedFlags.DO, answer.getOPT().getFlags() & ExtendedFlags.DO);
    Message without = dnsAnswer(post("application/dns-message", query(22, "www.vxnet.test.", Type.A, true).toWire()));
    assertEquals(0, without.getOPT().getFlags() & ExtendedFlags.DO, "no DO asked, none answered");
  }

  @Test
  void queriesVxnetWillNotResolveGetTheirDnsAnswer() throws Exception {
    Message chaos = query(3, "version.bind.", Type.TXT, true);
    chaos.removeAllRecords(Section.QUESTION);
    chaos.addRecord(Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH), Section.QUESTION);
    Message refused = dnsAnswer(post("application/dns-message", chaos.toWire()));
    assertEquals(3, refused.getHeader().getID());
    assertEquals(Rcode.REFUSED, refused.getRcode());
    ExtendedErrorCodeOption reason = (ExtendedErrorCodeOption) refused.getOPT().getOptions().get(0);
    assertEquals(ExtendedErrorCodeOption.NOT_SUPPORTED, reason.getErrorCode());
    assertEquals("class CH: vxnet forwards questions of class IN only", reason.getText());
    assertEquals(Rcode.REFUSED, dnsAnswer(post("application/dns-message", query(4, "vxnet.test.", Type.ANY, true).toWire())).getRcode());
    Message status = query(5, "vxnet.test.", Type.A, true);
    status.getHeader().setOpcode(Opcode.STATUS);
    assertEquals(Rcode.NOTIMP, dnsAnswer(post("application/dns-message", status.toWire())).getRcode());
    Message badName = query(6, "bad\\032name.vxnet.test.", Type.A, true);
    Message refusedName = dnsAnswer(post("application/dns-message", badName.toWire()));
    assertEquals(Rcode.REFUSED, refusedName.getRcode());
    assertTrue(((ExtendedErrorCodeOption) refusedName.getOPT().getOptions().get(0)).getText()
      .startsWith("name label \"bad name\" contains ' '"));
    Message newVersion = query(7, "vxnet.test.", Type.A, false);
    newVersion.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message badVers = dnsAnswer(post("application/dns-message", newVersion.toWire()));
    assertEquals(Rcode.BADVERS, badVers.getRcode());
    assertEquals(0, badVers.getOPT().getVersion());
    assertEquals(0, dns.queries(), "nothing of this reached the upstream");
    Message caa = dnsAnswer(post("application/dns-message", query(8, "vxnet.test.", Type.CAA, true).toWire()));
    assertEquals(Rcode.NOERROR, caa.getRcode(), "any data type is forwarded: CAA");
    assertEquals(1, dns.queries());
  }

  @Test
  void upstreamFailureIsServfailInDnsAnd502InJson() throws Exception {
    dns.mode(TestDnsServer.Mode.SERVFAIL);
    HttpResponse<Buffer> json = get("/resolve?name=www.vxnet.test");
    assertEquals(502, json.statusCode());
    assertEquals("UPSTREAM_FAILED", json.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals("no upstream answered www.vxnet.test. A (tried 1): " + dns.address() + ": answered SERVFAIL",
      json.bodyAsJsonObject().getJsonObject("error").getString("message"));

    Message servfail = dnsAnswer(post("application/dns-message", query(11, "www.vxnet.test.", Type.A, true).toWire()));
    assertEquals(11, servfail.getHeader().getID());
    assertEquals(Rcode.SERVFAIL, servfail.getRcode());
    ExtendedErrorCodeOption reason = (ExtendedErrorCodeOption) servfail.getOPT().getOptions().get(0);
    assertEquals(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, reason.getErrorCode());
    assertTrue(reason.getText().endsWith(dns.address() + ": answered SERVFAIL"), reason.getText());
  }

  /**
   * Within {@code doh_cache_ms} a question asked again is answered by the server instance from its microcache: the
   * same JSON, and on RFC 8484 the new query's ID; so it still answers once the resolver is gone, while a new question
   * then gets 503. With 0 (every other test here) each request asks the resolver.
   */
  @Test
  void aQuestionAskedAgainWithinDohCacheMsIsAnsweredWithoutTheResolver() throws Exception {
    serveWithMicrocache();
    HttpResponse<Buffer> first = get("/resolve?name=www.vxnet.test&type=A");
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertEquals(3, dnsAnswer(get("/dns-query?dns=" + base64url(query(3, "www.vxnet.test.", Type.AAAA, false).toWire())))
      .getHeader().getID());
    await(vertx.undeploy(resolver));

    HttpResponse<Buffer> again = get("/resolve?name=www.vxnet.test&type=A");
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    assertEquals(first.getHeader("Cache-Control"), again.getHeader("Cache-Control"));
    Message wire = dnsAnswer(get("/dns-query?dns=" + base64url(query(4, "www.vxnet.test.", Type.AAAA, true).toWire())));
    assertEquals(4, wire.getHeader().getID(), "the kept answer with this query's ID");
    assertEquals(java.net.InetAddress.getByName(TestZone.WWW_V6), ((org.xbill.DNS.AAAARecord) wire.getSection(Section.ANSWER).get(0)).getAddress());
    assertNotNull(wire.getOPT(), "and its EDNS");
    assertEquals(503, get("/resolve?name=www.vxnet.test&type=AAAA").statusCode(), "another question asks the resolver");
    assertEquals(503, get("/resolve?name=www.vxnet.test&type=A&cd=1").statusCode(), "cd is part of the question");
  }

  /**
   * A query repeated byte for byte is answered before its parameters are checked, so the key must be the whole query:
   * the same question written otherwise, padded or with another {@code ct} is still that question's answer, with its
   * own content type, and a query that is not valid is refused however close it is to one that was answered.
   */
  @Test
  void theMicrocacheAnswersTheSameQuestionHoweverItIsWrittenAndNeverABadQuery() throws Exception {
    serveWithMicrocache();
    HttpResponse<Buffer> first = get("/resolve?name=www.vxnet.test&type=A&ct=application/dns-json");
    assertEquals(200, first.statusCode(), first.bodyAsString());
    assertEquals("application/dns-json", first.getHeader("Content-Type"));
    await(vertx.undeploy(resolver));

    HttpResponse<Buffer> again = get("/resolve?name=www.vxnet.test&type=A&ct=application/dns-json");
    assertEquals(200, again.statusCode(), again.bodyAsString());
    assertEquals("application/dns-json", again.getHeader("Content-Type"));
    assertEquals(first.bodyAsJsonObject(), again.bodyAsJsonObject());
    for (String sameQuestion : new String[] {"/resolve?type=A&name=www.vxnet.test", "/resolve?name=www.vxnet.test&type=A",
      "/resolve?name=www.vxnet.test&type=A&random_padding=xxxx", "/resolve?name=www.vxnet.test&type=A&random_padding=yy"}) {
      HttpResponse<Buffer> answer = get(sameQuestion);
      assertEquals(200, answer.statusCode(), sameQuestion + ": " + answer.bodyAsString());
      assertEquals("application/json", answer.getHeader("Content-Type"), sameQuestion);
      assertEquals(first.bodyAsJsonObject(), answer.bodyAsJsonObject(), sameQuestion);
    }
    String[][] bad = {
      {"/resolve?name=www.vxnet.test&type=A&ct=application/dns-json&type=A", "type: given more than once"},
      {"/resolve?name=www.vxnet.test&type=A&ct=application/dns-json&x=1", "x: unknown parameter"},
      {"/resolve?name=www.vxnet.test&type=A&ct=text/html", "ct: only application/dns-json"},
    };
    for (String[] query : bad) {
      HttpResponse<Buffer> refused = get(query[0]);
      assertEquals(400, refused.statusCode(), query[0]);
      assertTrue(refused.bodyAsJsonObject().getJsonObject("error").getString("message").startsWith(query[1]),
        query[0] + ": " + refused.bodyAsString());
    }
  }

  @Test
  void withoutTheResolverServiceTheRoutesSayItIsUnavailable() throws Exception {
    await(vertx.undeploy(resolver));
    HttpResponse<Buffer> json = get("/resolve?name=www.vxnet.test");
    assertEquals(503, json.statusCode());
    assertEquals("UNAVAILABLE", json.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(Rcode.SERVFAIL, dnsAnswer(get("/dns-query?dns=" + base64url(query(0, "www.vxnet.test.", Type.A, false).toWire()))).getRcode());
  }

  /**
   * Issue 9 row 10's whole kind on RFC 8484: seeded mutations of well-formed queries, POSTed and as GET. What is a
   * query gets 200 and an answer with its ID, or 400 when malformed; what is none (cut inside the header, QR set)
   * gets 400; never another status, nothing logged with an exception, and the route answers on.
   */
  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void mutatedQueriesGet200Or400AndNothingThrows() throws Exception {
    try (ThrownLog thrown = new ThrownLog()) {
      Random random = new Random(0x15_09_10L + 2);
      for (int i = 0; i < 200; i++) {
        byte[] message = QueryMutations.mutated(random, i);
        HttpResponse<Buffer> response = i % 2 == 0 ? post("application/dns-message", message)
          : get("/dns-query?dns=" + base64url(message));
        String what = "message " + i + " (" + QueryMutations.hex(message) + "): " + response.statusCode() + " " + response.bodyAsString();
        if (response.statusCode() == 200 && QueryMutations.isQuery(message)) {
          assertEquals("application/dns-message", response.getHeader("Content-Type"), what);
          byte[] answer = response.body().getBytes();
          assertTrue(answer.length >= QueryMutations.HEADER_BYTES && answer[0] == message[0] && answer[1] == message[1], what);
        } else {
          assertEquals(400, response.statusCode(), what);
          assertEquals("BAD_REQUEST", response.bodyAsJsonObject().getJsonObject("error").getString("code"), what);
        }
      }
      thrown.assertEmpty();
    }
    assertEquals(Rcode.NOERROR, dnsAnswer(post("application/dns-message", query(7, "www.vxnet.test.", Type.A, true).toWire())).getRcode());
  }
}
