package dev.vxnet.bridge.tcp;

/**
 * The bounds of one bridge connection, shared by the TCP and the SockJS bridge.
 *
 * @param maxFrameBytes      largest frame a client may send (JSON bytes)
 * @param requestTimeoutMs   send timeout of a client's request, and the most a client may ask for
 * @param maxRegistrations   addresses one connection may register at once
 * @param maxPendingRequests requests of one connection in flight; beyond it the bridge stops reading from it
 */
public record BridgeLimits(int maxFrameBytes, int requestTimeoutMs, int maxRegistrations, int maxPendingRequests) {

  /** The defaults of the {@code bridge} configuration section, and the limits of the SockJS bridge. */
  public static final BridgeLimits DEFAULTS = new BridgeLimits(65_536, 10_000, 64, 64);
}
