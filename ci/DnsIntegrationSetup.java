import dev.vxnet.Services;
import dev.vxnet.config.Section;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Helper of dns-integration.sh, run as a source file against the built jar:
 * {@code sections} prints each configuration section of this build as "name has-enabled-key";
 * {@code ports N} prints N ports of 127.0.0.1 that are free for both TCP and UDP.
 */
public class DnsIntegrationSetup {

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && args[0].equals("sections")) {
      for (Section section : Services.schema().sections()) {
        System.out.println(section.name() + " " + (section.key("enabled") != null));
      }
    } else if (args.length == 2 && args[0].equals("ports")) {
      List<ServerSocket> held = new ArrayList<>();
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      while (held.size() < Integer.parseInt(args[1])) {
        ServerSocket tcp = new ServerSocket(0, 1, loopback);
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, tcp.getLocalPort()))) {
          held.add(tcp); // held until all are chosen, so that no port is printed twice
          System.out.println(tcp.getLocalPort());
        } catch (IOException udpTaken) {
          tcp.close();
        }
      }
      for (ServerSocket socket : held) {
        socket.close();
      }
    } else {
      System.err.println("usage: DnsIntegrationSetup.java sections | ports N");
      System.exit(2);
    }
  }
}
