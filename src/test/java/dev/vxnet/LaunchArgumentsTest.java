package dev.vxnet;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaunchArgumentsTest {

  private static final String MAIN = MainVerticle.class.getName();

  @Test
  void runWithoutAVerticleRunsTheNode() {
    assertEquals(List.of("run", MAIN), LaunchArguments.withMainVerticle(List.of("run"), MAIN));
    assertEquals(List.of("run", MAIN, "-conf", "{}"), LaunchArguments.withMainVerticle(List.of("run", "-conf", "{}"), MAIN));
    assertTrue(LaunchArguments.runsMainVerticle(List.of("run", "-conf", "{}"), MAIN), "and its configuration is the node's");
  }

  @Test
  void otherCommandLinesAreLeftAsTheyAre() {
    for (List<String> args : List.<List<String>>of(List.of(), List.of("-conf", "{}"), List.of("run", "dev.vxnet.tcp.TcpEchoVerticle"),
      List.of("run", "x.groovy", "-conf", "{}"), List.of("version"), List.of("load", "tcp"))) {
      assertEquals(args, LaunchArguments.withMainVerticle(args, MAIN), args.toString());
    }
  }
}
