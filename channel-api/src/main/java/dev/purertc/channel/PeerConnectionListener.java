package dev.purertc.channel;

import dev.purertc.ice.IceConnectionState;

/**
 * Events of an {@link RTCPeerConnection}, as the browser's {@code onicecandidate},
 * {@code ondatachannel}, {@code onconnectionstatechange}, {@code oniceconnectionstatechange} and
 * {@code onsignalingstatechange}.
 *
 * <p>Threading: every call runs on the connection's event loop, one at a time and in order. Do not
 * block in them: the loop is shared with other connections. Calling back into the connection
 * (createDataChannel, addIceCandidate, close...) from a callback is allowed.
 */
public interface PeerConnectionListener {

    /** A local candidate to trickle to the peer (only after {@code setLocalDescription}). */
    default void onIceCandidate(RTCIceCandidate candidate) {
    }

    /** Gathering is over: signal end-of-candidates to the peer (the browser's null candidate). */
    default void onIceGatheringComplete() {
    }

    /**
     * {@link RTCPeerConnection#iceGatheringState()} changed: {@code GATHERING} when the local description
     * is set, {@code COMPLETE} just before {@link #onIceGatheringComplete()}; from then on the local
     * description carries every candidate (non-trickle signaling sends it now).
     */
    default void onIceGatheringStateChange(IceGatheringState state) {
    }

    /**
     * The peer opened a channel. Set its listener here: its {@code onOpen} and first messages follow
     * this call on the same loop.
     */
    default void onDataChannel(RTCDataChannel channel) {
    }

    default void onConnectionStateChange(PeerConnectionState state) {
    }

    default void onIceConnectionStateChange(IceConnectionState state) {
    }

    default void onSignalingStateChange(SignalingState state) {
    }

    /**
     * The browser's {@code onnegotiationneeded} (W3C WebRTC §4.7.3): an offer/answer is needed, because
     * {@link RTCPeerConnection#restartIce()} was called or the first data channel was created before any
     * data section was negotiated. Fires only in signaling state {@code stable} (else once it returns
     * there), once until the next exchange completes. Create, apply and send an offer from here.
     */
    default void onNegotiationNeeded() {
    }
}
