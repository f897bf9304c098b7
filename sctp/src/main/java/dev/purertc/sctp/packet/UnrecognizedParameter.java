package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Unrecognized Parameter of INIT ACK (RFC 9260 §3.3.3.1): wraps the whole unrecognized TLV
 * (type, length, value and padding) exactly as it was received.
 * The array is not copied: the caller must not modify it after construction.
 */
public record UnrecognizedParameter(byte[] parameter) implements Parameter {
    public static final int TYPE = ParameterType.UNRECOGNIZED_PARAMETER;

    public UnrecognizedParameter {
        Objects.requireNonNull(parameter, "parameter");
        Wire.checkTlvLength("UnrecognizedParameter", HEADER_LENGTH + parameter.length);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + parameter.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length()).put(parameter);
        Wire.writePadding(out, length());
    }

    static UnrecognizedParameter parse(ByteBuffer b, int start, int end) {
        return new UnrecognizedParameter(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedParameter other && Arrays.equals(parameter, other.parameter);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parameter);
    }

    @Override
    public String toString() {
        return "UnrecognizedParameter[parameter=" + Wire.sizeOf(parameter) + "]";
    }
}
