package dev.purertc.sdp;

import java.util.Optional;

/**
 * A well-formed description that cannot be used for a WebRTC data-channel session, for example
 * because an m= section lacks {@code a=ice-ufrag}, {@code a=ice-pwd} or {@code a=fingerprint}.
 * The message names the attribute; {@link #attribute()} returns it.
 *
 * <p>Immutable; may be shared between threads.
 */
public class SdpValidationException extends SdpParseException {
    private static final long serialVersionUID = 1L;

    private final String attribute;
    private final String mid;

    /**
     * @param attribute the attribute (or line type such as {@code m=application}) that is missing or wrong
     * @param mid the mid of the m= section concerned, or null when it has none or the problem is session-wide
     * @param reason what was wrong, in words; should name the attribute
     */
    public SdpValidationException(String attribute, String mid, String reason) {
        super(0, reason);
        this.attribute = attribute;
        this.mid = mid;
    }

    /** The attribute (for example {@code ice-pwd}) that is missing or unusable. */
    public String attribute() {
        return attribute;
    }

    /** The mid of the m= section concerned, if it has one. */
    public Optional<String> mid() {
        return Optional.ofNullable(mid);
    }
}
