package dev.purertc.channel;

import java.util.Objects;

/**
 * A session description as signalled between peers, like the browser's {@code RTCSessionDescriptionInit}:
 * its type and its SDP text. Immutable.
 *
 * @param type offer, answer or rollback
 * @param sdp  the SDP text (RFC 8866)
 */
public record RTCSessionDescription(Type type, String sdp) {

    /**
     * {@code RTCSdpType} without provisional answers. {@code ROLLBACK} (RFC 8829 §4.1.10.2) discards an
     * unanswered offer when given to {@code setLocalDescription} or {@code setRemoteDescription}; its
     * SDP is ignored (use {@link #rollback()}).
     */
    public enum Type {
        OFFER,
        ANSWER,
        ROLLBACK
    }

    /** A rollback description (its SDP is empty). */
    public static RTCSessionDescription rollback() {
        return new RTCSessionDescription(Type.ROLLBACK, "");
    }

    public RTCSessionDescription {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sdp, "sdp");
    }
}
