package dev.purertc.channel;

import java.util.Objects;

/**
 * A session description as signalled between peers, like the browser's {@code RTCSessionDescriptionInit}:
 * its type and its SDP text. Immutable.
 *
 * @param type offer or answer
 * @param sdp  the SDP text (RFC 8866)
 */
public record RTCSessionDescription(Type type, String sdp) {

    /** {@code RTCSdpType}; PureRTC does not support provisional answers or rollback. */
    public enum Type {
        OFFER,
        ANSWER
    }

    public RTCSessionDescription {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sdp, "sdp");
    }
}
