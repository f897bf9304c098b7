package dev.purertc.channel;

/** {@code RTCSignalingState} (W3C WebRTC §4.3.1) without the provisional-answer states. */
public enum SignalingState {
    STABLE,
    HAVE_LOCAL_OFFER,
    HAVE_REMOTE_OFFER,
    CLOSED
}
