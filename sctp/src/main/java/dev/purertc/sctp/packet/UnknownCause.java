package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** An error cause whose code this codec does not model. The value array is not copied. */
public record UnknownCause(int code, byte[] value) implements ErrorCause {

    public UnknownCause {
        Wire.checkU16("code", code);
        Objects.requireNonNull(value, "value");
        Wire.checkTlvLength("UnknownCause", HEADER_LENGTH + value.length);
    }

    @Override
    public int length() {
        return HEADER_LENGTH + value.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) code).putShort((short) length()).put(value);
        Wire.writePadding(out, length());
    }

    static UnknownCause parse(ByteBuffer b, int start, int end) {
        return new UnknownCause(Wire.u16(b, start), Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownCause other && code == other.code && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownCause[code=" + code + ", value=" + Wire.sizeOf(value) + "]";
    }
}
