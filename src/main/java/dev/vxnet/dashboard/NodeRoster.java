package dev.vxnet.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every node one node's dashboard gathers have seen, and which of them are gone: a node that answered an earlier
 * gather but not the latest one is marked gone from that gather on (and why: it left the cluster, or it is still a
 * member but stopped answering), instead of vanishing from the page. A node that answers again is up again. Gone
 * nodes are forgotten after {@link #FORGET_AFTER_MS}, and at most {@link #MAX_GONE} are kept (the oldest go first).
 * Not thread-safe: the caller serialises updates.
 */
final class NodeRoster {

  /** How long a gone node stays on the page, ms. */
  static final long FORGET_AFTER_MS = 3_600_000;
  /** Most gone nodes kept. */
  static final int MAX_GONE = 32;

  static final String LEFT = "left the cluster";
  static final String SILENT = "still a cluster member, but did not answer the stats gather";

  private final Map<String, Entry> nodes = new TreeMap<>();

  private static final class Entry {
    long upSinceMs;
    long lastSeenMs;
    long goneSinceMs = -1;
    String reason;
  }

  /**
   * Takes one gather's result ({@code StatsCollector}'s document: {@code nodes[].node}, {@code nodes_expected},
   * {@code nodes_answered}) made at {@code atMs} (epoch ms) and returns the roster: one entry per node, up ones and
   * gone ones, by name: {@code {"node": "edge", "state": "up", "since_ms": .., "last_seen_ms": ..}} or
   * {@code {"node": "worker", "state": "gone", "since_ms": .., "last_seen_ms": .., "reason": "left the cluster"}}.
   */
  JsonArray update(JsonObject gathered, long atMs) {
    Set<String> answered = new HashSet<>();
    gathered.getJsonArray("nodes", new JsonArray()).forEach(node -> answered.add(((JsonObject) node).getString("node")));
    boolean someSilent = gathered.getInteger("nodes_answered", 0) < gathered.getInteger("nodes_expected", 0);
    for (String name : answered) {
      Entry entry = nodes.computeIfAbsent(name, n -> new Entry());
      if (entry.lastSeenMs == 0 || entry.goneSinceMs >= 0) { // new, or back
        entry.upSinceMs = atMs;
        entry.goneSinceMs = -1;
        entry.reason = null;
      }
      entry.lastSeenMs = atMs;
    }
    nodes.forEach((name, entry) -> {
      if (!answered.contains(name) && entry.goneSinceMs < 0) {
        entry.goneSinceMs = atMs;
        entry.reason = someSilent ? SILENT : LEFT;
      }
    });
    forget(atMs);
    JsonArray roster = new JsonArray();
    nodes.forEach((name, entry) -> {
      JsonObject json = new JsonObject().put("node", name);
      if (entry.goneSinceMs < 0) {
        json.put("state", "up").put("since_ms", entry.upSinceMs);
      } else {
        json.put("state", "gone").put("since_ms", entry.goneSinceMs).put("reason", entry.reason);
      }
      roster.add(json.put("last_seen_ms", entry.lastSeenMs));
    });
    return roster;
  }

  private void forget(long nowMs) {
    nodes.values().removeIf(entry -> entry.goneSinceMs >= 0 && nowMs - entry.goneSinceMs > FORGET_AFTER_MS);
    long gone = nodes.values().stream().filter(entry -> entry.goneSinceMs >= 0).count();
    while (gone > MAX_GONE) {
      nodes.entrySet().stream()
        .filter(e -> e.getValue().goneSinceMs >= 0)
        .min(Comparator.comparingLong(e -> e.getValue().goneSinceMs))
        .ifPresent(oldest -> nodes.remove(oldest.getKey()));
      gone--;
    }
  }
}
