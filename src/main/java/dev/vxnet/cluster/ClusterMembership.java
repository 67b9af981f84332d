package dev.vxnet.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says in the log which node this is, where it listens, and every node that joins or leaves afterwards. */
public final class ClusterMembership {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);
  /** The Hazelcast member attribute in which vertx-hazelcast keeps the Vert.x node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private ClusterMembership() {
  }

  public static void logAndWatch(Vertx vertx, ClusterSettings settings) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    NodeInfo eventBus = manager.getNodeInfo();
    LOG.info("cluster " + settings.name() + ": node " + manager.getNodeId()
      + ", Hazelcast on " + settings.address().getHostAddress() + ":" + settings.hazelcastPort()
      + ", event bus on " + eventBus.host() + ":" + eventBus.port()
      + ", members " + settings.members() + "; " + manager.getNodes().size() + " node(s) in the cluster");
    if (manager instanceof HazelcastClusterManager hazelcast) {
      hazelcast.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          LOG.info("cluster: " + describe(event.getMember()) + " joined; " + event.getMembers().size() + " node(s) now");
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          LOG.warn("cluster: " + describe(event.getMember()) + " left; " + event.getMembers().size() + " node(s) now");
        }
      });
    }
  }

  private static String describe(Member member) {
    return "node " + member.getAttribute(VERTX_NODE_ID) + " (" + member.getAddress() + ")";
  }
}
