package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A parameter whose type this codec does not model. Kept so the receiver can act on the two high
 * bits of its type (RFC 9260 §3.2.1) and echo it in an Unrecognized Parameter. The value array is
 * not copied: the caller must not modify it.
 */
public record UnknownParameter(int type, byte[] value) implements Parameter {

    public UnknownParameter {
        Wire.checkU16("type", type);
        Objects.requireNonNull(value, "value");
        Wire.checkTlvLength("UnknownParameter", HEADER_LENGTH + value.length);
    }

    /** What RFC 9260 §3.2.1 says to do with an unrecognized parameter of this type. */
    public static UnrecognizedAction actionFor(int parameterType) {
        return UnrecognizedAction.forParameterType(parameterType);
    }

    /** What RFC 9260 §3.2.1 says to do with this parameter. */
    public UnrecognizedAction action() {
        return actionFor(type);
    }

    /** The whole TLV as received (with padding), for an Unrecognized Parameter or cause. */
    public byte[] toTlvBytes() {
        ByteBuffer out = ByteBuffer.allocate(encodedLength());
        writeTo(out);
        return out.array();
    }

    @Override
    public int length() {
        return HEADER_LENGTH + value.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) type).putShort((short) length()).put(value);
        Wire.writePadding(out, length());
    }

    static UnknownParameter parse(ByteBuffer b, int start, int end) {
        return new UnknownParameter(Wire.u16(b, start), Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownParameter other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownParameter[type=0x" + Integer.toHexString(type) + ", value=" + Wire.sizeOf(value) + "]";
    }
}
