package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * COOKIE ECHO chunk (RFC 9260 §3.3.11): the State Cookie from the INIT ACK, echoed as it was received.
 * The array is not copied: the caller must not modify it.
 */
public record CookieEchoChunk(byte[] cookie) implements Chunk {
    public static final int TYPE = ChunkType.COOKIE_ECHO;

    public CookieEchoChunk {
        Objects.requireNonNull(cookie, "cookie");
        Wire.checkTlvLength("COOKIE ECHO chunk", HEADER_LENGTH + cookie.length);
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
        out.put((byte) TYPE).put((byte) 0).putShort((short) length()).put(cookie);
        Wire.writePadding(out, length());
    }

    static CookieEchoChunk parse(ByteBuffer b, int flags, int start, int end) {
        return new CookieEchoChunk(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CookieEchoChunk other && Arrays.equals(cookie, other.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "CookieEchoChunk[cookie=" + Wire.sizeOf(cookie) + "]";
    }
}
