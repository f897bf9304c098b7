package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk whose type this codec does not model (I-DATA, AUTH, ASCONF, PAD...). Kept so the
 * association can act on the two high bits of its type (RFC 9260 §3.2) and echo it in an
 * Unrecognized Chunk Type cause. The value array is not copied: the caller must not modify it.
 */
public record UnknownChunk(int type, int flags, byte[] value) implements Chunk {

    public UnknownChunk {
        Wire.checkU8("type", type);
        Wire.checkU8("flags", flags);
        Objects.requireNonNull(value, "value");
        Wire.checkTlvLength("unknown chunk", HEADER_LENGTH + value.length);
    }

    /** What RFC 9260 §3.2 says to do with an unrecognized chunk of this type. */
    public static UnrecognizedAction actionFor(int chunkType) {
        return UnrecognizedAction.forChunkType(chunkType);
    }

    /** What RFC 9260 §3.2 says to do with this chunk. */
    public UnrecognizedAction action() {
        return actionFor(type);
    }

    /** The chunk as received (header, value, padding), for an {@link UnrecognizedChunkTypeCause}. */
    public byte[] toChunkBytes() {
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
        out.put((byte) type).put((byte) flags).putShort((short) length()).put(value);
        Wire.writePadding(out, length());
    }

    static UnknownChunk parse(ByteBuffer b, int type, int flags, int start, int end) {
        return new UnknownChunk(type, flags, Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnknownChunk other && type == other.type && flags == other.flags
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return (31 * type + flags) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "UnknownChunk[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", value="
                + Wire.sizeOf(value) + "]";
    }
}
