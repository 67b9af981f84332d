package dev.vxnet.bridge.tcp;

import dev.vxnet.bridge.tcp.Permissions.Action;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermissionsTest {

  @Test
  void requestsGoToTheFourServicesOnly() {
    for (String address : new String[] {"vxnet.dns.resolve", "vxnet.fetch", "vxnet.fetch.batch", "vxnet.stats"}) {
      assertTrue(Permissions.permits(Action.SEND, address), address);
      assertFalse(Permissions.permits(Action.PUBLISH, address), "publish to a service: every instance would do the work");
      assertFalse(Permissions.permits(Action.REGISTER, address), "a client must not answer for a service");
    }
    for (String address : new String[] {"vxnet.stats.collect", "vxnet.stats.reply.x", "vxnet.chat.lobby", "vxnet.fetchx", "anything"}) {
      assertFalse(Permissions.permits(Action.SEND, address), address);
    }
  }

  @Test
  void chatRoomsArePublishedAndReceived() {
    assertTrue(Permissions.permits(Action.PUBLISH, "vxnet.chat.lobby"));
    assertTrue(Permissions.permits(Action.REGISTER, "vxnet.chat.lobby"));
    assertTrue(Permissions.permits(Action.PUBLISH, "vxnet.chat.a-b_9"));
    assertTrue(Permissions.permits(Action.PUBLISH, "vxnet.chat." + "r".repeat(32)));
    assertFalse(Permissions.permits(Action.PUBLISH, "vxnet.chat." + "r".repeat(33)));
    assertFalse(Permissions.permits(Action.PUBLISH, "vxnet.chat.Lobby"));
    assertFalse(Permissions.permits(Action.PUBLISH, "vxnet.chat."));
    assertFalse(Permissions.permits(Action.PUBLISH, "vxnetXchat.lobby"), "dots are literal");
    assertFalse(Permissions.permits(Action.PUBLISH, "vxnet.stats.collect"));
  }

  @Test
  void whoAnswersAreReceivedButNotSent() {
    String who = "vxnet.chat.who.0f8fad5b-d9cb-469f-a165-70867728950e";
    assertTrue(Permissions.permits(Action.REGISTER, who));
    assertFalse(Permissions.permits(Action.PUBLISH, who), "a client must not forge who answers");
    assertFalse(Permissions.permits(Action.SEND, who));
    assertFalse(Permissions.permits(Action.REGISTER, "vxnet.chat.who."));
    assertFalse(Permissions.permits(Action.REGISTER, "vxnet.stats.reply.x"));
  }
}
