package dev.vxnet.bus;

/** Event-bus addresses shared by every service; their message schemas are in docs/event-bus.md. */
public final class Addresses {

  public static final String DNS_RESOLVE = "vxnet.dns.resolve";
  public static final String FETCH = "vxnet.fetch";
  public static final String FETCH_BATCH = "vxnet.fetch.batch";
  /** Prefix of chat room addresses: {@code vxnet.chat.<room>}. */
  public static final String CHAT_PREFIX = "vxnet.chat.";
  /** Request/reply: the counters of every service on every node, gathered by the node that gets the request. */
  public static final String STATS = "vxnet.stats";
  /** Published to every service instance and node; each answers its counters to the given {@code replyTo}. */
  public static final String STATS_COLLECT = "vxnet.stats.collect";
  /** Prefix of the one-off addresses that collect the answers of one {@link #STATS_COLLECT}. */
  public static final String STATS_REPLY_PREFIX = "vxnet.stats.reply.";

  private Addresses() {
  }

  public static String chatRoom(String room) {
    return CHAT_PREFIX + room;
  }
}
