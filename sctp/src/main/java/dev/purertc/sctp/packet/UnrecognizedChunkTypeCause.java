package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Unrecognized Chunk Type (RFC 9260 §3.3.10.6): the unrecognized chunk as received (type, flags, length, value).
 * The array is not copied: the caller must not modify it after construction.
 */
public record UnrecognizedChunkTypeCause(byte[] chunk) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.UNRECOGNIZED_CHUNK_TYPE;

    public UnrecognizedChunkTypeCause {
        Objects.requireNonNull(chunk, "chunk");
        Wire.checkTlvLength("UnrecognizedChunkTypeCause", HEADER_LENGTH + chunk.length);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + chunk.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).put(chunk);
        Wire.writePadding(out, length());
    }

    static UnrecognizedChunkTypeCause parse(ByteBuffer b, int start, int end) {
        return new UnrecognizedChunkTypeCause(Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnrecognizedChunkTypeCause other && Arrays.equals(chunk, other.chunk);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
        return "UnrecognizedChunkTypeCause[chunk=" + Wire.sizeOf(chunk) + "]";
    }
}
