package dev.vxnet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM-wide defaults the launcher sets for a faster start, and that a user's own value wins. */
class VxnetLauncherTest {

  private static final List<String> PROPERTIES = List.of("io.netty.jfr.enabled", "keystore.pkcs12.keyPbeIterationCount");
  private final Map<String, String> before = new HashMap<>();

  @BeforeEach
  void save() {
    PROPERTIES.forEach(name -> before.put(name, System.getProperty(name)));
  }

  @AfterEach
  void restore() {
    before.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  @Test
  void startFasterSetsItsDefaultsWhereTheUserSetNone() {
    PROPERTIES.forEach(System::clearProperty);
    VxnetLauncher.startFaster();
    assertEquals("false", System.getProperty("io.netty.jfr.enabled"));
    assertEquals("1", System.getProperty("keystore.pkcs12.keyPbeIterationCount"));
  }

  @Test
  void startFasterLeavesTheUsersValuesAlone() {
    System.setProperty("io.netty.jfr.enabled", "true");
    System.setProperty("keystore.pkcs12.keyPbeIterationCount", "20000");
    VxnetLauncher.startFaster();
    assertEquals("true", System.getProperty("io.netty.jfr.enabled"));
    assertEquals("20000", System.getProperty("keystore.pkcs12.keyPbeIterationCount"));
  }
}
