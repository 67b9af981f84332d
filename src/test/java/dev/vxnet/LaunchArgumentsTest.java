package dev.vxnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchArgumentsTest {

  private static final String MAIN = MainVerticle.class.getName();

  @Test
  void runWithoutAVerticleRunsTheNode() {
    assertEquals(List.of("run", MAIN), LaunchArguments.withMainVerticle(List.of("run"), MAIN));
    assertEquals(List.of("run", MAIN, "-conf", "{}"), LaunchArguments.withMainVerticle(List.of("run", "-conf", "{}"), MAIN));
    assertEquals(List.of("run", MAIN, "-cluster", "-instances", "2"),
      LaunchArguments.withMainVerticle(List.of("run", "-cluster", "-instances", "2"), MAIN));
    assertTrue(LaunchArguments.runsMainVerticle(List.of("run", "-conf", "{}"), MAIN), "and its configuration is the node's");
  }

  /** The legacy launcher takes options before the verticle too: the verticle named after them is the one that runs. */
  @Test
  void aVerticleNamedAfterOptionsIsKept() {
    for (List<String> args : List.<List<String>>of(List.of("run", "-cluster", "com.example.Foo"),
      List.of("run", "-conf", "c.json", "x.groovy"), List.of("run", "--conf=c.json", "x.groovy"),
      List.of("run", "-instances", "2", "-worker", "com.example.Foo"))) {
      assertEquals(args, LaunchArguments.withMainVerticle(args, MAIN), args.toString());
      assertFalse(LaunchArguments.runsMainVerticle(args, MAIN), args + " runs its own verticle");
    }
  }

  @Test
  void otherCommandLinesAreLeftAsTheyAre() {
    for (List<String> args : List.<List<String>>of(List.of(), List.of("-conf", "{}"), List.of("run", "dev.vxnet.tcp.TcpEchoVerticle"),
      List.of("run", "x.groovy", "-conf", "{}"), List.of("version"), List.of("load", "tcp"))) {
      assertEquals(args, LaunchArguments.withMainVerticle(args, MAIN), args.toString());
    }
  }
}
