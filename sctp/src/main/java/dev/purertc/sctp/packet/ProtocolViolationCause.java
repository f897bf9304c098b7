package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Protocol Violation (RFC 9260 §3.3.10.13): additional information about the violation.
 * The array is not copied: the caller must not modify it after construction.
 */
public record ProtocolViolationCause(byte[] info) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.PROTOCOL_VIOLATION;

    public ProtocolViolationCause {
        Objects.requireNonNull(info, "info");
        Wire.checkTlvLength("ProtocolViolationCause", HEADER_LENGTH + info.length);
    }

    /** A cause carrying the UTF-8 bytes of {@code info}. */
    public static ProtocolViolationCause ofInfo(String info) {
        return new ProtocolViolationCause(info.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The information decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String infoString() {
        return new String(info, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + info.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(info);
        Wire.writePadding(out, length());
    }

    static ProtocolViolationCause parse(ByteBuffer b, int start, int end) {
        return new ProtocolViolationCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtocolViolationCause other && Arrays.equals(info, other.info);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return "ProtocolViolationCause[info=" + Wire.sizeOf(info) + "]";
    }
}
