package dev.vxnet.https;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticPathTest {

  @Test
  void ordinaryPathsBecomeRelative() throws Exception {
    assertEquals("", StaticPath.relative("/"));
    assertEquals("a/b.txt", StaticPath.relative("/a/b.txt"));
    assertEquals("dir/", StaticPath.relative("/dir/"));
    assertEquals("caf\u00e9 menu.html", StaticPath.relative("/caf%C3%A9%20menu.html"));
    assertEquals("%2e%2e", StaticPath.relative("/%252e%252e"), "decoded once only");
  }

  @Test
  void climbingOutIsABadRequest() {
    for (String path : new String[] {"/..", "/a/../..", "/%2e%2e/x", "/..%2fetc%2fpasswd", "/%2E%2E%2F", "/a/%2e/b",
      "/..\\x", "/a%5cb", "/a%00b", "/%c0%ae%c0%ae/x", "/%", "/%zz", "/%2"}) {
      assertThrows(StaticPath.BadPath.class, () -> StaticPath.relative(path), path);
    }
  }

  @Test
  void hiddenSegments() {
    assertTrue(StaticPath.hidden(".git/config"));
    assertTrue(StaticPath.hidden("a/.env"));
    assertFalse(StaticPath.hidden("a/b.c/d"));
  }
}
