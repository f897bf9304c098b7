package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Unresolvable Address (RFC 9260 §3.3.10.5): the complete address parameter TLV that could not be resolved.
 * The array is not copied: the caller must not modify it after construction.
 */
public record UnresolvableAddressCause(byte[] address) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.UNRESOLVABLE_ADDRESS;

    public UnresolvableAddressCause {
        Objects.requireNonNull(address, "address");
        Wire.checkTlvLength("UnresolvableAddressCause", HEADER_LENGTH + address.length);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + address.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(address);
        Wire.writePadding(out, length());
    }

    static UnresolvableAddressCause parse(ByteBuffer b, int start, int end) {
        return new UnresolvableAddressCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnresolvableAddressCause other && Arrays.equals(address, other.address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address);
    }

    @Override
    public String toString() {
        return "UnresolvableAddressCause[address=" + Wire.sizeOf(address) + "]";
    }
}
