package dev.vxnet.bridge.tcp;

import dev.vxnet.bus.Addresses;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a bridge client may do, the same on the TCP and the SockJS bridge, and fixed in code: the bridges
 * are how code outside the cluster reaches in, so the list is part of the program, not of its settings.
 * <ul>
 *   <li>send (request) to the request/reply services: DNS, fetch, fetch batch, stats;</li>
 *   <li>publish to chat rooms;</li>
 *   <li>register for chat rooms and for chat {@code who} answers.</li>
 * </ul>
 * Nothing else: not {@code vxnet.stats.collect} or its answers (a client could forge or flood counters), not another
 * client's reply address. The kind matters too: a publish to a service would make every instance of it
 * on every node do the work (an amplifier), and a send to a chat room would reach one instance only. It lives with
 * the TCP bridge, the core of the bridge service, so that the SockJS bridge's routes can use it.
 */
public final class Permissions {

  public enum Action { SEND, PUBLISH, REGISTER }

  /** Request/reply services a client may send to. */
  public static final List<String> REQUEST_ADDRESSES = List.of(
    Addresses.DNS_RESOLVE, Addresses.FETCH, Addresses.FETCH_BATCH, Addresses.STATS);
  /** Chat room addresses, as a regular expression. */
  public static final String CHAT_ROOM_REGEX = regex(Addresses.CHAT_PREFIX) + Addresses.CHAT_ROOM_NAME;
  /** Chat answers a {@code who} at an address the asker picks; a bridge client picks a UUID. */
  public static final String CHAT_WHO_REPLY_REGEX = regex(Addresses.CHAT_WHO_REPLY_PREFIX) + "[A-Za-z0-9-]{1,64}";

  private static final Pattern CHAT_ROOM = Pattern.compile(CHAT_ROOM_REGEX);
  private static final Pattern CHAT_WHO_REPLY = Pattern.compile(CHAT_WHO_REPLY_REGEX);

  private Permissions() {
  }

  public static boolean permits(Action action, String address) {
    return switch (action) {
      case SEND -> REQUEST_ADDRESSES.contains(address);
      case PUBLISH -> CHAT_ROOM.matcher(address).matches();
      case REGISTER -> CHAT_ROOM.matcher(address).matches() || CHAT_WHO_REPLY.matcher(address).matches();
    };
  }

  /** What {@code action} may target, for error messages. */
  static String permitted(Action action) {
    return switch (action) {
      case SEND -> String.join(", ", REQUEST_ADDRESSES);
      case PUBLISH -> "vxnet.chat.<room> (room: " + Addresses.CHAT_ROOM_NAME + ")";
      case REGISTER -> "vxnet.chat.<room> (room: " + Addresses.CHAT_ROOM_NAME + ") and " + Addresses.CHAT_WHO_REPLY_PREFIX
        + "<id>";
    };
  }

  private static String regex(String literal) {
    return literal.replace(".", "\\.");
  }
}
