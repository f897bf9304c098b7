package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Unrecognized Parameters (RFC 9260 §3.3.10.8): the unrecognized parameter TLVs as received.
 * The array is not copied: the caller must not modify it after construction.
 */
public record UnrecognizedParametersCause(byte[] parameters) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.UNRECOGNIZED_PARAMETERS;

    public UnrecognizedParametersCause {
        Objects.requireNonNull(parameters, "parameters");
        Wire.checkTlvLength("UnrecognizedParametersCause", HEADER_LENGTH + parameters.length);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + parameters.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(parameters);
        Wire.writePadding(out, length());
    }

    static UnrecognizedParametersCause parse(ByteBuffer b, int start, int end) {
        return new UnrecognizedParametersCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedParametersCause other && Arrays.equals(parameters, other.parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parameters);
    }

    @Override
    public String toString() {
        return "UnrecognizedParametersCause[parameters=" + Wire.sizeOf(parameters) + "]";
    }
}
