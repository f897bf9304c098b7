package dev.purertc.channel;

/**
 * {@code RTCPeerConnectionState} (W3C WebRTC §4.3.3): the aggregate of the ICE and DTLS transports.
 * CONNECTED means ICE has a selected pair and the DTLS handshake completed (the fingerprint matched).
 */
public enum PeerConnectionState {
    NEW,
    CONNECTING,
    CONNECTED,
    DISCONNECTED,
    FAILED,
    CLOSED
}
