package dev.vxnet.dashboard;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's files in the jar: the vendored library is the one docs/dashboard.md names, and nothing comes from elsewhere. */
class DashboardResourcesTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = DashboardResourcesTest.class.getClassLoader().getResourceAsStream(DashboardRoutes.RESOURCES + "/" + name)) {
      assertNotNull(in, name + " is in the jar's " + DashboardRoutes.RESOURCES);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theVendoredUplotIsTheVersionTheDocsNameWithItsLicense() throws IOException {
    Matcher header = Pattern.compile("^/\\*! https://github.com/leeoniya/uPlot \\(v([0-9.]+)\\) \\*/").matcher(resource("vendor/uplot/uPlot.iife.min.js"));
    assertTrue(header.find(), "uPlot's own header names its version");
    String docs = Files.readString(Path.of("docs", "dashboard.md"));
    assertTrue(docs.contains("**uPlot " + header.group(1) + "**") && docs.contains("`uplot@" + header.group(1) + "`"),
      "docs/dashboard.md names the vendored version " + header.group(1) + " (after bin/vendor-uplot, update the docs)");
    assertTrue(resource("vendor/uplot/LICENSE").startsWith("The MIT License"));
    assertTrue(resource("vendor/uplot/uPlot.min.css").contains(".uplot"));
  }

  @Test
  void thePageLoadsNothingFromAnotherOrigin() throws IOException {
    for (String file : List.of("index.html", "dashboard.js", "dashboard.css")) {
      Matcher remote = Pattern.compile("(?i)(?:src|href|url\\(|EventSource\\(|fetch\\()\\s*=?\\s*[\"']?(?:https?:)?//").matcher(resource(file));
      boolean found = remote.find();
      assertFalse(found, () -> file + " refers to another origin: " + remote.group());
    }
    String html = resource("index.html");
    for (String local : List.of("vendor/uplot/uPlot.iife.min.js", "vendor/uplot/uPlot.min.css", "dashboard.js", "dashboard.css", "favicon.svg")) {
      assertTrue(html.contains("\"" + local + "\""), "index.html loads " + local);
      resource(local);
    }
    assertEquals(-1, html.indexOf("<script>"), "no inline script: the Content-Security-Policy allows none");
    assertEquals(-1, html.indexOf("style=\""), "no inline style: the Content-Security-Policy allows none");
  }
}
