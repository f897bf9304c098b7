package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/**
 * An error cause carried in ABORT and ERROR chunks (RFC 9260 §3.3.10): Cause Code (16 bits),
 * Cause Length (16), Cause-Specific Information, zero padding to a multiple of 4 bytes.
 * Records holding a {@code byte[]} do not copy it: do not modify it afterwards.
 */
public sealed interface ErrorCause permits InvalidStreamIdentifierCause, MissingMandatoryParameterCause,
        StaleCookieCause, OutOfResourceCause, UnresolvableAddressCause, UnrecognizedChunkTypeCause,
        InvalidMandatoryParameterCause, UnrecognizedParametersCause, NoUserDataCause,
        CookieReceivedWhileShuttingDownCause, RestartWithNewAddressesCause, UserInitiatedAbortCause,
        ProtocolViolationCause, UnknownCause {

    /** Cause Code and Cause Length: RFC 9260 §3.3.10. */
    int HEADER_LENGTH = 4;

    /** The cause code (see {@link ErrorCauseCode}). */
    int code();

    /** The value of the Cause Length field: header plus information, padding excluded. */
    int length();

    /** Bytes this cause occupies, padding included. Cheap: never allocates. */
    default int encodedLength() {
        return Wire.pad4(length());
    }

    /** Writes exactly {@link #encodedLength()} bytes at the position of a big-endian buffer. */
    void writeTo(ByteBuffer out);
}
