package dev.purertc.channel;

/**
 * The browser's {@code RTCIceGatheringState} (W3C WebRTC §4.3.2) for the connection's one ICE transport:
 * {@code new} until {@link RTCPeerConnection#setLocalDescription} starts gathering, {@code gathering}
 * while candidates are found, {@code complete} once the last one is reported (the moment the
 * connection's {@link RTCPeerConnection#localDescription()} carries {@code a=end-of-candidates}).
 */
public enum IceGatheringState {
    NEW,
    GATHERING,
    COMPLETE
}
