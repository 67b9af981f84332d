package dev.vxnet.config;

import dev.vxnet.Services;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/config.md is the schema rendered: every key documented with its default, range and variable. */
class ConfigDocsTest {

  private static final Path DOC = Path.of("docs", "config.md");

  @Test
  void docsMatchTheSchema() throws Exception {
    String expected = ConfigDocs.markdown(Services.schema());
    if (Boolean.getBoolean("vxnet.docs.write")) {
      Files.writeString(DOC, expected);
    }
    String actual = Files.exists(DOC) ? Files.readString(DOC) : "";
    assertEquals(expected, actual,
      DOC + " is stale: regenerate with mvn -q test -Dtest=ConfigDocsTest -Dvxnet.docs.write=true");
  }
}
