package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Restart of an Association with New Addresses (RFC 9260 §3.3.10.11): the new address TLVs.
 * The array is not copied: the caller must not modify it after construction.
 */
public record RestartWithNewAddressesCause(byte[] addresses) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.RESTART_OF_AN_ASSOCIATION_WITH_NEW_ADDRESSES;

    public RestartWithNewAddressesCause {
        Objects.requireNonNull(addresses, "addresses");
        Wire.checkTlvLength("RestartWithNewAddressesCause", HEADER_LENGTH + addresses.length);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + addresses.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(addresses);
        Wire.writePadding(out, length());
    }

    static RestartWithNewAddressesCause parse(ByteBuffer b, int start, int end) {
        return new RestartWithNewAddressesCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestartWithNewAddressesCause other && Arrays.equals(addresses, other.addresses);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(addresses);
    }

    @Override
    public String toString() {
        return "RestartWithNewAddressesCause[addresses=" + Wire.sizeOf(addresses) + "]";
    }
}
