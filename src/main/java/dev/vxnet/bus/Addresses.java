package dev.vxnet.bus;

/** Event-bus addresses shared by every service; their message schemas are in docs/event-bus.md. */
public final class Addresses {

  public static final String DNS_RESOLVE = "vxnet.dns.resolve";
  public static final String FETCH = "vxnet.fetch";
  public static final String FETCH_BATCH = "vxnet.fetch.batch";
  /** Prefix of chat room addresses: {@code vxnet.chat.<room>}. */
  public static final String CHAT_PREFIX = "vxnet.chat.";
  /** What a room name may be: the part after {@link #CHAT_PREFIX}. */
  public static final String CHAT_ROOM_NAME = "[a-z0-9_-]{1,32}";
  /** Answers to a chat {@code who} go only to addresses with this prefix, never to a service's. */
  public static final String CHAT_WHO_REPLY_PREFIX = "vxnet.chat.who.";
  /** Request/reply: the counters of every service on every node, gathered by the node that gets the request. */
  public static final String STATS = "vxnet.stats";
  /** Published to every service instance and node; each answers its counters to the given {@code replyTo}. */
  public static final String STATS_COLLECT = "vxnet.stats.collect";
  /**
   * Published by each node's MainVerticle to its own verticles only, for every {@link #STATS_COLLECT}:
   * {@code {"replyTo": ..., "node": ...}}; each verticle instance that reports counters, in any language, answers to
   * {@code replyTo} (docs/event-bus.md).
   */
  public static final String STATS_NODE = "vxnet.stats.node";
  /** Prefix of the one-off addresses that collect the answers of one {@link #STATS_COLLECT}. */
  public static final String STATS_REPLY_PREFIX = "vxnet.stats.reply.";

  /**
   * Prefix of each service's health procedure, {@code vxnet.health.<service>}: every instance of the service answers
   * {@code {"status": "UP", "instance": ...}} on its own node (local consumers; readiness asks with local delivery).
   */
  public static final String HEALTH_PREFIX = "vxnet.health.";

  /**
   * Local-only publish ({@code DeliveryOptions.setLocalOnly}): a node's gathered dashboard snapshot (a JSON string),
   * to the web server instances of that node that have dashboards connected. No bridge may publish or register here.
   */
  public static final String DASHBOARD_SNAPSHOT = "vxnet.dashboard.snapshot";

  private Addresses() {
  }

  /** The health procedure of {@code service}. */
  public static String health(String service) {
    return HEALTH_PREFIX + service;
  }

  public static String chatRoom(String room) {
    return CHAT_PREFIX + room;
  }
}
