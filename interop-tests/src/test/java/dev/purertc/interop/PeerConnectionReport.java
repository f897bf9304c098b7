package dev.purertc.interop;

import java.util.concurrent.TimeUnit;
import dev.purertc.channel.RTCPeerConnection;

/** What a PureRTC connection says about itself when a test's wait on it fails: its states and getStats. */
public final class PeerConnectionReport {

    private PeerConnectionReport() {
    }

    /** Signaling, ICE, gathering and connection state, then every getStats entry on a line of its own. */
    public static String of(RTCPeerConnection pc) {
        StringBuilder sb = new StringBuilder("signaling ").append(pc.signalingState())
                .append(", ICE ").append(pc.iceConnectionState())
                .append(", gathering ").append(pc.iceGatheringState())
                .append(", connection ").append(pc.connectionState())
                .append("\n  getStats:");
        try {
            pc.getStats().get(5, TimeUnit.SECONDS).asMap().values().forEach(s -> sb.append("\n  ").append(s));
        } catch (Exception e) {
            sb.append(" unavailable: ").append(e);
        }
        return sb.toString();
    }
}
