package dev.vxnet.https;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.vxnet.https.WebTests.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaticFilesTest {

  private static final String HELLO = "Hello, static world!\n";
  private static final String SECRET = "TOP SECRET outside the web root";

  @TempDir
  Path dir;
  Path root;

  @BeforeEach
  void webRoot() throws Exception {
    root = Files.createDirectory(dir.resolve("root"));
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), SECRET);
    Files.writeString(root.resolve("index.html"), "<h1>root index</h1>");
    Files.writeString(root.resolve("hello.txt"), HELLO);
    Files.writeString(root.resolve("style.css"), "body {}");
    Files.writeString(root.resolve("data.json"), "{}");
    Files.write(root.resolve("pixel.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.writeString(root.resolve("blob.vxnetdata"), "?");
    Files.writeString(root.resolve(".secret"), SECRET);
    Path sub = Files.createDirectory(root.resolve("sub"));
    Files.writeString(sub.resolve("index.html"), "<h1>sub index</h1>");
    Files.createSymbolicLink(root.resolve("inside-link.txt"), root.resolve("hello.txt"));
    Files.createSymbolicLink(root.resolve("leak.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("leakdir"), outside);
  }

  private int deploy(Vertx vertx) throws Exception {
    return WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject().put("web_root", root.toString())));
  }

  private static HttpResponse<Buffer> get(WebClient client, int port, String uri, String... headers) throws Exception {
    var request = client.request(HttpMethod.GET, port, "127.0.0.1", uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(request.send());
  }

  @Test
  void filesHaveTheirContentTypeAndValidators(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);
    HttpResponse<Buffer> hello = get(client, port, "/hello.txt");
    assertEquals(200, hello.statusCode());
    assertEquals(HELLO, hello.bodyAsString());
    assertEquals("text/plain; charset=utf-8", hello.getHeader("content-type"));
    assertNotNull(hello.getHeader("etag"));
    assertNotNull(hello.getHeader("last-modified"));
    assertEquals("bytes", hello.getHeader("accept-ranges"));
    assertEquals("text/css; charset=utf-8", get(client, port, "/style.css").getHeader("content-type"));
    assertEquals("application/json; charset=utf-8", get(client, port, "/data.json").getHeader("content-type"));
    assertEquals("image/png", get(client, port, "/pixel.png").getHeader("content-type"));
    assertEquals("application/octet-stream", get(client, port, "/blob.vxnetdata").getHeader("content-type"));
    assertEquals(HELLO, get(client, port, "/inside-link.txt").bodyAsString(), "a link that stays inside is served");
  }

  @Test
  void conditionalRequestsGet304(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    HttpResponse<Buffer> first = get(client, port, "/hello.txt");
    String etag = first.getHeader("etag");
    String lastModified = first.getHeader("last-modified");

    HttpResponse<Buffer> byEtag = get(client, port, "/hello.txt", "If-None-Match", etag);
    assertEquals(304, byEtag.statusCode());
    assertNull(byEtag.body(), "a 304 has no body");
    assertEquals(etag, byEtag.getHeader("etag"));
    assertEquals(304, get(client, port, "/hello.txt", "If-None-Match", "\"other\", W/" + etag).statusCode());
    assertEquals(200, get(client, port, "/hello.txt", "If-None-Match", "\"other\"").statusCode());
    assertEquals(304, get(client, port, "/hello.txt", "If-Modified-Since", lastModified).statusCode());
    assertEquals(200, get(client, port, "/hello.txt", "If-Modified-Since", "Mon, 01 Jan 2001 00:00:00 GMT").statusCode());
    assertEquals(200, get(client, port, "/hello.txt", "If-None-Match", "\"other\"", "If-Modified-Since", lastModified).statusCode(),
      "If-None-Match decides when both are present");
  }

  @Test
  void rangesGet206AndUnsatisfiableOnes416(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
      WebClient client = WebTests.client(vertx, version);
      int size = HELLO.length();
      HttpResponse<Buffer> head = get(client, port, "/hello.txt", "Range", "bytes=0-4");
      assertEquals(206, head.statusCode());
      assertEquals("Hello", head.bodyAsString());
      assertEquals("bytes 0-4/" + size, head.getHeader("content-range"));

      HttpResponse<Buffer> tail = get(client, port, "/hello.txt", "Range", "bytes=-7");
      assertEquals(206, tail.statusCode());
      assertEquals(HELLO.substring(size - 7), tail.bodyAsString());

      HttpResponse<Buffer> rest = get(client, port, "/hello.txt", "Range", "bytes=7-");
      assertEquals(HELLO.substring(7), rest.bodyAsString());

      HttpResponse<Buffer> beyond = get(client, port, "/hello.txt", "Range", "bytes=" + size + "-");
      assertEquals(416, beyond.statusCode());
      assertEquals("bytes */" + size, beyond.getHeader("content-range"));

      HttpResponse<Buffer> stale = get(client, port, "/hello.txt", "Range", "bytes=0-4", "If-Range", "\"stale\"");
      assertEquals(200, stale.statusCode(), "a stale If-Range gets the whole file");
      assertEquals(HELLO, stale.bodyAsString());
    }
  }

  /**
   * A file over the in-memory size goes in 64 KiB chunks under TLS and on HTTP/2 (FileChunks), on every transport
   * alike: whole, and as ranges that start and end inside chunks, the bytes are the file's.
   */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void largeFilesAndTheirRangesArriveWholeInChunks(String transport) throws Exception {
    Transport wanted = switch (transport) {
      case "epoll" -> Transport.EPOLL;
      case "io_uring" -> Transport.IO_URING;
      default -> Transport.NIO;
    };
    assumeTrue(wanted != null && wanted.available(), () -> transport + ": "
      + (wanted == null ? "its classes are missing" : wanted.unavailabilityCause()));
    Vertx vertx = Vertx.builder().withTransport(wanted).build();
    try {
      largeFilesArriveWhole(vertx);
    } finally {
      await(vertx.close());
    }
  }

  private void largeFilesArriveWhole(Vertx vertx) throws Exception {
    byte[] large = new byte[3 * FileChunks.CHUNK_BYTES + 5];
    new java.util.Random(7).nextBytes(large);
    Files.write(root.resolve("large.bin"), large);
    int port = deploy(vertx);
    for (HttpVersion version : new HttpVersion[] {HttpVersion.HTTP_2, HttpVersion.HTTP_1_1}) {
      WebClient client = WebTests.client(vertx, version);
      HttpResponse<Buffer> whole = get(client, port, "/large.bin");
      assertEquals(200, whole.statusCode());
      assertEquals(String.valueOf(large.length), whole.getHeader("content-length"), version.name());
      assertArrayEquals(large, whole.body().getBytes(), version + ": the whole file");
      int first = FileChunks.CHUNK_BYTES - 3;
      int last = 2 * FileChunks.CHUNK_BYTES + 11;
      HttpResponse<Buffer> range = get(client, port, "/large.bin", "Range", "bytes=" + first + "-" + last);
      assertEquals(206, range.statusCode());
      assertArrayEquals(java.util.Arrays.copyOfRange(large, first, last + 1), range.body().getBytes(), version + ": a range");
    }
  }

  @Test
  void directoriesServeTheirIndexAndHeadSendsNoBody(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);
    assertEquals("<h1>root index</h1>", get(client, port, "/").bodyAsString());
    assertEquals("<h1>sub index</h1>", get(client, port, "/sub/").bodyAsString());
    HttpResponse<Buffer> noSlash = await(WebTests.keep(WebClient.wrap(vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
        .setSsl(true).setTrustAll(true).setVerifyHost(false))))
      .get(port, "127.0.0.1", "/sub?x=1").followRedirects(false).send());
    assertEquals(301, noSlash.statusCode());
    assertEquals("/sub/?x=1", noSlash.getHeader("location"));

    HttpResponse<Buffer> head = await(client.head(port, "127.0.0.1", "/hello.txt").send());
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(HELLO.length()), head.getHeader("content-length"));
    assertNull(head.body());
  }

  @Test
  void nothingOutsideTheWebRootLeaks(Vertx vertx) throws Exception {
    int port = deploy(vertx);
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_1_1);
    List<String> attempts = List.of(
      "/../outside/secret.txt",
      "/sub/../../outside/secret.txt",
      "/%2e%2e/outside/secret.txt",
      "/%2E%2E/%2E%2E/outside/secret.txt",
      "/..%2foutside%2fsecret.txt",
      "/%2e%2e%2foutside%2fsecret.txt",
      "/sub/..%2f..%2foutside/secret.txt",
      "/..\\outside\\secret.txt",
      "/%5c..%5coutside%5csecret.txt",
      "/%252e%252e/outside/secret.txt",
      "/%c0%ae%c0%ae/outside/secret.txt",
      "/leak.txt",
      "/leakdir/secret.txt",
      "/.secret",
      "/sub/%2e%2e/.secret");
    for (String attempt : attempts) {
      HttpResponse<Buffer> response = get(client, port, attempt);
      assertTrue(response.statusCode() == 404 || response.statusCode() == 400, attempt + " -> " + response.statusCode());
      assertFalse(response.bodyAsString().contains("TOP SECRET"), attempt + " leaked the file");
    }
  }

  @Test
  void theBuiltInPageIsServedWhenNoWebRootIsConfigured(Vertx vertx) throws Exception {
    int port = WebTests.deployHttps(vertx, WebTests.httpsConfig(new JsonObject()));
    WebClient client = WebTests.client(vertx, HttpVersion.HTTP_2);
    HttpResponse<Buffer> index = get(client, port, "/");
    assertEquals(200, index.statusCode());
    assertEquals("text/html; charset=utf-8", index.getHeader("content-type"));
    assertTrue(index.bodyAsString().contains("<h1>vxnet</h1>"));
    HttpResponse<Buffer> about = get(client, port, "/about");
    assertEquals(200, about.statusCode());
    assertTrue(about.bodyAsString().contains("About vxnet"));
  }

  /** Without TLS the same files go out through sendfile; the bytes must be the same. */
  @Test
  void plainHttpServesTheSameFiles(Vertx vertx) throws Exception {
    byte[] large = new byte[300_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }
    Files.write(root.resolve("large.bin"), large);
    int port = WebTests.deployHttp(vertx, new JsonObject().put("redirect", false).put("web_root", root.toString()));
    WebClient client = WebTests.plainClient(vertx);
    HttpResponse<Buffer> whole = await(client.get(port, "127.0.0.1", "/large.bin").send());
    assertEquals(200, whole.statusCode());
    assertTrue(java.util.Arrays.equals(large, whole.body().getBytes()));
    HttpResponse<Buffer> part = await(client.get(port, "127.0.0.1", "/large.bin").putHeader("Range", "bytes=1000-1999").send());
    assertEquals(206, part.statusCode());
    assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(large, 1000, 2000), part.body().getBytes()));
  }
}
