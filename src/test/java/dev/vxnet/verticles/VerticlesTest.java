package dev.vxnet.verticles;

import dev.vxnet.MainVerticle;
import dev.vxnet.config.StartupException;
import dev.vxnet.support.Await;
import dev.vxnet.support.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad verticle stops the start with one line naming {@code verticles[i]}: a missing script or class, a script that
 * does not compile, a class that is not a verticle (all found before any port is bound), and a verticle whose own
 * start fails (after the services started: they are undeployed again, nothing is left listening).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VerticlesTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private String prepareFailure(String name) {
    VerticleSpec spec = new VerticleSpec("verticles[1]", name, null, new JsonObject(), null);
    Exception failure = assertThrows(Exception.class, () -> Verticles.prepare(vertx, spec).await(30, TimeUnit.SECONDS));
    assertTrue(failure instanceof StartupException, failure.toString());
    assertEquals(1, failure.getMessage().lines().count(), failure.getMessage());
    return failure.getMessage();
  }

  @Test
  void aMissingScriptIsNamedWithWhereItWasLookedFor() {
    assertEquals("verticles[1].name: groovy:nowhere/x.groovy: no script at " + Path.of("").toAbsolutePath().resolve("nowhere/x.groovy")
      + " (nor nowhere/x.groovy on the class path)", prepareFailure("groovy:nowhere/x.groovy"));
    assertTrue(prepareFailure("nowhere/y.groovy").startsWith("verticles[1].name: nowhere/y.groovy: no script at "));
  }

  @Test
  void aCompileErrorIsTheCompilersFirstLineWithFileAndLine() throws Exception {
    Path script = Files.writeString(dir.resolve("broken.groovy"), "def ok = 1\ndef broken = (\n");
    String message = prepareFailure("groovy:" + script);
    assertTrue(message.startsWith("verticles[1].name: groovy:" + script + ": "), message);
    assertTrue(message.matches(".*broken\\.groovy: \\d+: .* @ line \\d+, column \\d+\\.$"), "file and line of the error: " + message);
  }

  @Test
  void anUnknownClassOrOneThatIsNoVerticleIsNamed() {
    assertEquals("verticles[1].name: dev.vxnet.NoSuchVerticle: no class dev.vxnet.NoSuchVerticle on the class path",
      prepareFailure("dev.vxnet.NoSuchVerticle"));
    assertEquals("verticles[1].name: java.lang.String: java.lang.String is not a verticle (neither io.vertx.core.Deployable "
      + "nor io.vertx.core.Verticle)", prepareFailure("java.lang.String"));
    assertTrue(prepareFailure("js:x.js").startsWith("verticles[1].name: js:x.js: no verticle factory for the prefix js: (known: "));
  }

  @Test
  void aGoodScriptAndAKotlinClassArePrepared() throws Exception {
    for (String name : new String[] {"groovy:verticles/groovy/line_server.groovy", "verticles/groovy/chat_bot.groovy",
      "dev.vxnet.probe.ProbeVerticle"}) {
      VerticleSpec spec = new VerticleSpec("verticles[0]", name, null, new JsonObject(), null);
      assertTrue(Verticles.prepare(vertx, spec).await(60, TimeUnit.SECONDS).instances().get() != null, name);
    }
  }

  @Test
  void aVerticleWhoseStartFailsUndeploysTheServicesAgain() throws Exception {
    int tcp = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.only("tcp").put("tcp", new JsonObject().put("port", tcp)))
      .put("verticles", new JsonArray().add(new JsonObject().put("name", "verticles/groovy/line_server.groovy")
        .put("config", new JsonObject().put("port", 70_000))));
    Exception failure = assertThrows(Exception.class, () -> vertx.deployVerticle(new MainVerticle(),
      new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS));
    assertEquals("verticles[0] (verticles/groovy/line_server.groovy): config.port: expected an integer from 0 to 65535, got 70000",
      failure.getMessage());
    // the TCP echo service had started before the verticle; with this Vert.x still running, its port is free again
    // (a CI run once found it still accepting right after the failed deployment: polled, with a deadline)
    Await.refusing(tcp, Duration.ofSeconds(10));
  }

  @Test
  void aBadScriptStopsTheStartBeforeAnyPortIsBound() throws Exception {
    Path script = Files.writeString(dir.resolve("broken.groovy"), "this is not groovy {\n");
    int tcp = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.only("tcp").put("tcp", new JsonObject().put("port", tcp)))
      .put("verticles", new JsonArray().add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle")
          .put("config", new JsonObject().put("targets", new JsonArray().add("tcp://127.0.0.1:" + tcp))))
        .add(new JsonObject().put("name", script.toString())));
    Exception failure = assertThrows(Exception.class, () -> vertx.deployVerticle(new MainVerticle(),
      new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS));
    assertTrue(failure.getMessage().startsWith("verticles[1].name: " + script + ": "), failure.getMessage());
    assertEquals(0, vertx.deploymentIDs().size(), "nothing deployed: " + vertx.deploymentIDs());
  }
}
