package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * User-Initiated Abort (RFC 9260 §3.3.10.12): the upper layer's abort reason.
 * The array is not copied: the caller must not modify it after construction.
 */
public record UserInitiatedAbortCause(byte[] reason) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.USER_INITIATED_ABORT;

    public UserInitiatedAbortCause {
        Objects.requireNonNull(reason, "reason");
        Wire.checkTlvLength("UserInitiatedAbortCause", HEADER_LENGTH + reason.length);
    }

    /** A cause carrying the UTF-8 bytes of {@code reason}. */
    public static UserInitiatedAbortCause ofReason(String reason) {
        return new UserInitiatedAbortCause(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The reason decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String reasonString() {
        return new String(reason, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + reason.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(reason);
        Wire.writePadding(out, length());
    }

    static UserInitiatedAbortCause parse(ByteBuffer b, int start, int end) {
        return new UserInitiatedAbortCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserInitiatedAbortCause other && Arrays.equals(reason, other.reason);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(reason);
    }

    @Override
    public String toString() {
        return "UserInitiatedAbortCause[reason=" + Wire.sizeOf(reason) + "]";
    }
}
