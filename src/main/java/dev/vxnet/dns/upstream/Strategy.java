package dev.vxnet.dns.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * In which order one question tries the upstreams that are up ({@code dns.upstream_strategy}); those marked down come
 * only when every upstream is down, in configured order, so that a question still has a chance.
 */
public enum Strategy {
  /** The configured order: the first upstream that is up gets every question. */
  SEQUENTIAL,
  /** Each question starts at the next upstream that is up, spreading questions evenly. */
  ROUND_ROBIN,
  /** The upstream with the lowest smoothed latency first (one not yet measured counts as fastest, to measure it). */
  FASTEST;

  /** The name in configuration: {@code sequential}, {@code round_robin}, {@code fastest}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Strategy of(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }

  /** The order of attempts for one question; {@code turn} counts questions (round robin's rotation). */
  List<UpstreamState> order(List<UpstreamState> upstreams, long turn) {
    List<UpstreamState> up = new ArrayList<>(upstreams.stream().filter(state -> !state.down()).toList());
    if (up.isEmpty()) {
      return upstreams;
    }
    switch (this) {
      case ROUND_ROBIN -> {
        List<UpstreamState> rotated = new ArrayList<>(up.size());
        int start = (int) Math.floorMod(turn, (long) up.size());
        for (int i = 0; i < up.size(); i++) {
          rotated.add(up.get((start + i) % up.size()));
        }
        return rotated;
      }
      case FASTEST -> up.sort(Comparator.comparingDouble(UpstreamState::latencyMicros));
      default -> {
      }
    }
    return up;
  }
}
