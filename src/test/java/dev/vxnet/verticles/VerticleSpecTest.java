package dev.vxnet.verticles;

import dev.vxnet.Services;
import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Settings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code verticles} section: a list of objects, each element's keys checked and named like any other key. */
class VerticleSpecTest {

  private static List<String> problems(Object verticles) {
    return assertThrows(ConfigException.class, () -> Services.schema().validate(new JsonObject().put("verticles", verticles)))
      .problems();
  }

  private static List<VerticleSpec> specs(Object verticles) {
    Settings settings = Services.schema().validate(new JsonObject().put("verticles", verticles));
    return settings.get(VerticleSpec.SECTION);
  }

  @Test
  void absentIsEmptyAndElementsAreRead() {
    assertEquals(List.of(), Services.schema().validate(new JsonObject()).get(VerticleSpec.SECTION));
    List<VerticleSpec> specs = specs(new JsonArray()
      .add(new JsonObject().put("name", "groovy:verticles/groovy/line_server.groovy").put("service", "lines")
        .put("config", new JsonObject().put("port", 7070)))
      .add(new JsonObject().put("name", "dev.vxnet.probe.ProbeVerticle").put("instances", 3)));
    assertEquals(new VerticleSpec("verticles[0]", "groovy:verticles/groovy/line_server.groovy", null,
      new JsonObject().put("port", 7070), "lines"), specs.get(0));
    assertEquals(new VerticleSpec("verticles[1]", "dev.vxnet.probe.ProbeVerticle", 3, new JsonObject(), null), specs.get(1));
  }

  @Test
  void everyElementsProblemsAreNamedAtOnce() {
    List<String> problems = problems(new JsonArray()
      .add(new JsonObject().put("name", "a.groovy"))
      .add(new JsonObject().put("instances", 2))
      .add(new JsonObject().put("name", "c.groovy").put("instances", 0))
      .add("d.groovy")
      .add(new JsonObject().put("name", "e.groovy").put("config", "port=1"))
      .add(new JsonObject().put("nmae", "f.groovy")));
    assertEquals(List.of(
      "verticles[1].name: required: a Groovy script (groovy:path/x.groovy or path/x.groovy) or a verticle class name",
      "verticles[2].instances: expected an integer from 1 to 256, got 0",
      "verticles[3]: expected an object of keys (name, instances, config, service), got \"d.groovy\"",
      "verticles[4].config: expected a JSON object, got \"port=1\"",
      "verticles[5].nmae: unknown key (known: name, instances, config, service)"), problems);
  }

  @Test
  void theSectionMustBeAList() {
    assertEquals(List.of("verticles: expected a list of objects, got {\"name\":\"a.groovy\"}"),
      problems(new JsonObject().put("name", "a.groovy")));
  }

  @Test
  void fromTheEnvironmentTheListIsJsonText() {
    // VXNET_VERTICLES / -Dvxnet.verticles: every value there is a string
    assertEquals("x.groovy", specs("[{\"name\": \"x.groovy\"}]").get(0).name());
    assertEquals(List.of("verticles: expected a list of objects, got \"x.groovy\""), problems("x.groovy"));
  }

  @Test
  void aServiceNameIsNeitherABuiltInOneNorAnotherVerticles() {
    List<String> problems = problems(new JsonArray()
      .add(new JsonObject().put("name", "a.groovy").put("service", "tcp"))
      .add(new JsonObject().put("name", "b.groovy").put("service", "lines"))
      .add(new JsonObject().put("name", "c.groovy").put("service", "lines"))
      .add(new JsonObject().put("name", "d.groovy").put("service", "Not A Name")));
    assertEquals(List.of("verticles[3].service: expected a string matching [a-z][a-z0-9_-]{0,31}, got \"Not A Name\""), problems);
    ConfigException clash = assertThrows(ConfigException.class, () -> Services.schema().validate(new JsonObject().put("verticles",
      new JsonArray().add(new JsonObject().put("name", "a.groovy").put("service", "tcp"))
        .add(new JsonObject().put("name", "b.groovy").put("service", "lines"))
        .add(new JsonObject().put("name", "c.groovy").put("service", "lines")))));
    assertEquals(List.of("verticles[0].service: \"tcp\" is a built-in service's name",
      "verticles[2].service: \"lines\" is verticles[1]'s too"), clash.problems());
    assertTrue(clash.getMessage().lines().count() == 2);
  }
}
