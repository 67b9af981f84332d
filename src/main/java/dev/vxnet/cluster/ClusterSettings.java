package dev.vxnet.cluster;

import dev.vxnet.config.ConfigException;
import dev.vxnet.config.Key;
import dev.vxnet.config.Section;
import dev.vxnet.config.Values;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code cluster} section, checked and resolved: whether this node joins a cluster, the one address of this
 * machine that Hazelcast and the event bus bind and announce, and the members to join through. On loopback with no
 * members given, those are the Hazelcast ports of {@link #LOCAL_NODES} nodes of this machine (port offsets 0 to 9), so
 * that {@code -cluster} in two terminals forms one cluster. {@code configFile} is {@code null} for the default
 * ({@link HazelcastConfig#load} says which file that is).
 */
public record ClusterSettings(boolean enabled, String host, InetAddress address, String publicHost, int port,
                              int hazelcastPort, List<String> members, String name, Path configFile) {

  private static final String HOST = "[A-Za-z0-9][A-Za-z0-9_.-]{0,252}";
  private static final Pattern MEMBER = Pattern.compile("(" + HOST + ")(?::([0-9]{1,5}))?");
  /** How many nodes of one machine find each other on loopback without a member list (port offsets 0 to 9). */
  static final int LOCAL_NODES = 10;

  public static final Section<ClusterSettings> SECTION = Section.of("cluster",
    "Clustered event bus (Hazelcast, TCP-IP join): nodes share chat rooms, service calls and /api/stats.", ClusterSettings::from,
    Key.flag("enabled", false, "Join a cluster; the launcher's `-cluster` sets it."),
    Key.text("host", "127.0.0.1", HOST,
      "Address of this machine (or a name resolving to one) that Hazelcast and the event bus bind and announce; "
        + "never a wildcard such as 0.0.0.0. `-cluster-host` sets it."),
    Key.text("public_host", null, HOST,
      "Address the other nodes reach this one at, when it differs from `host` (NAT); unset means `host`. "
        + "`-cluster-public-host` sets it."),
    Key.port("port", 0, 0, "Event-bus port between nodes (TCP); 0 picks a free one. `-cluster-port` sets it."),
    Key.port("hazelcast_port", 5701, 1, "Hazelcast member port on `host`."),
    Key.list("members", List.of(),
      "Nodes to join through, `host` or `host:port` (a port defaults to this node's `hazelcast_port`); listing "
        + "this node too is fine, so every node can share one list. Names are resolved once, at start (one that does "
        + "not resolve then is left out, with a warning): prefer addresses. Empty: on loopback, the nodes of this machine "
        + "(Hazelcast ports `hazelcast_port` to `hazelcast_port` + 9 before `node.port_offset`); elsewhere this node waits "
        + "for others to join it."),
    Key.text("name", "vxnet", "[A-Za-z0-9_.-]{1,64}", "Cluster name: nodes only join a cluster of the same name."),
    Key.text("config_file", null,
      "Hazelcast XML configuration; its `${vxnet.cluster.*}` placeholders are filled from this section. Unset: "
        + "the file `-Dvertx.hazelcast.config` names, else `conf/cluster.xml` in the working directory, else the copy "
        + "built into the jar."));

  /** The settings of the section's values; a disabled cluster is not resolved further (resolving may block). */
  private static ClusterSettings from(Values values) {
    boolean enabled = values.flag("enabled");
    String host = values.text("host");
    int hazelcastPort = values.integer("hazelcast_port");
    List<String> problems = new ArrayList<>();
    List<String> members = new ArrayList<>();
    values.list("members").forEach(entry -> member(entry, hazelcastPort, problems).ifPresent(members::add));
    InetAddress address = enabled ? localAddress(host, problems) : null;
    if (members.isEmpty() && address != null && address.isLoopbackAddress()) {
      members.addAll(localNodes(address, hazelcastPort - values.portOffset()));
    }
    values.problems(problems);
    String configFile = values.text("config_file");
    return new ClusterSettings(enabled, host, address, values.text("public_host"), values.integer("port"),
      hazelcastPort, List.copyOf(members), values.text("name"), configFile == null ? null : Path.of(configFile));
  }

  /**
   * Where the other nodes of this machine listen: Hazelcast ports {@code base} (offset 0) to {@code base + 9}. Listed
   * one by one: Hazelcast's port ranges in a member list break with interfaces enabled. A refused connection on
   * loopback costs nothing, so the unused ones do not slow the join.
   */
  private static List<String> localNodes(InetAddress loopback, int base) {
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < LOCAL_NODES && base + i <= 65535; i++) {
      nodes.add(loopback.getHostAddress() + ":" + (base + i));
    }
    return nodes;
  }

  /**
   * Fails with one line naming the key when a port to bind is taken, before Hazelcast would say the same
   * with stack traces.
   */
  public void checkPortsFree() {
    checkFree("cluster.hazelcast_port", hazelcastPort);
    if (port != 0) {
      checkFree("cluster.port", port);
    }
  }

  private void checkFree(String key, int portToBind) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, portToBind));
    } catch (IOException e) {
      throw new ConfigException(key + ": cannot listen on " + address.getHostAddress() + ":" + portToBind + " ("
        + e.getMessage() + "; another process holds the port: another vxnet node? A second node on this machine "
        + "moves every port with node.port_offset, e.g. VXNET_NODE_PORT_OFFSET=1)");
    }
  }

  /** The address other nodes use: {@code public_host}, or the bound address. */
  public String announcedHost() {
    return publicHost != null ? publicHost : address.getHostAddress();
  }

  private static Optional<String> member(String entry, int defaultPort, List<String> problems) {
    Matcher matcher = MEMBER.matcher(entry.trim());
    if (!matcher.matches() || (matcher.group(2) != null && Integer.parseInt(matcher.group(2)) > 65535)) {
      problems.add("cluster.members: expected host or host:port (port 1-65535, no ranges), got \"" + entry + "\"");
      return Optional.empty();
    }
    return Optional.of(matcher.group(1) + ":" + (matcher.group(2) != null ? matcher.group(2) : defaultPort));
  }

  private static InetAddress localAddress(String host, List<String> problems) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      problems.add("cluster.host: \"" + host + "\" does not resolve to an address");
      return null;
    }
    if (address.isAnyLocalAddress()) {
      problems.add("cluster.host: " + host + " is a wildcard; give the one address of this machine the other nodes reach");
      return null;
    }
    try {
      if (NetworkInterface.getByInetAddress(address) == null) {
        String resolved = host.equals(address.getHostAddress()) ? "" : " (" + address.getHostAddress() + ")";
        problems.add("cluster.host: " + host + resolved + " is not an address of this machine");
        return null;
      }
    } catch (SocketException e) {
      problems.add("cluster.host: cannot list this machine's addresses: " + e.getMessage());
      return null;
    }
    return address;
  }
}
