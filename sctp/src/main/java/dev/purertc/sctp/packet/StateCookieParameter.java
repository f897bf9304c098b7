package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * State Cookie parameter of INIT ACK (RFC 9260 §3.3.3.1): the opaque cookie the peer echoes back.
 * The array is not copied: the caller must not modify it after construction.
 */
public record StateCookieParameter(byte[] cookie) implements Parameter {
    public static final int TYPE = ParameterType.STATE_COOKIE;

    public StateCookieParameter {
        Objects.requireNonNull(cookie, "cookie");
        Wire.checkTlvLength("StateCookieParameter", HEADER_LENGTH + cookie.length);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + cookie.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length()).put(cookie);
        Wire.writePadding(out, length());
    }

    static StateCookieParameter parse(ByteBuffer b, int start, int end) {
        return new StateCookieParameter(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateCookieParameter other && Arrays.equals(cookie, other.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "StateCookieParameter[cookie=" + Wire.sizeOf(cookie) + "]";
    }
}
