package dev.purertc.sdp;

/**
 * A remote offer contains no usable data-channel m= section ({@code m=application} with
 * {@code UDP/DTLS/SCTP}, {@code TCP/DTLS/SCTP} or the legacy {@code DTLS/SCTP} protocol and a non-zero
 * port), so there is nothing a data-channel-only peer can accept. {@link #attribute()} is
 * {@code "m=application"}.
 *
 * <p>Immutable; may be shared between threads.
 */
public final class NoDataChannelSectionException extends SdpValidationException {
    private static final long serialVersionUID = 1L;

    /** @param reason what the offer contained instead */
    public NoDataChannelSectionException(String reason) {
        super("m=application", null, reason);
    }
}
