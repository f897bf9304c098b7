package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/**
 * One SCTP chunk (RFC 9260 §3.2): Type (8 bits), Flags (8), Length (16), Value, zero padding to a
 * multiple of 4 bytes. Chunks are immutable values; records holding a {@code byte[]} do not copy it,
 * so the array must not be modified after it is handed to (or taken from) a chunk.
 */
public sealed interface Chunk permits DataChunk, InitChunk, InitAckChunk, SackChunk, HeartbeatRequestChunk,
        HeartbeatAckChunk, AbortChunk, ShutdownChunk, ShutdownAckChunk, ShutdownCompleteChunk, ErrorChunk,
        CookieEchoChunk, CookieAckChunk, ForwardTsnChunk, ReConfigChunk, UnknownChunk {

    /** Type, Flags and Length: RFC 9260 §3.2. */
    int HEADER_LENGTH = 4;

    /** The chunk type number (see {@link ChunkType}). */
    int type();

    /**
     * The value of the Length field: header plus value, without the chunk's trailing padding (but
     * including the padding of every parameter or cause except the last, RFC 9260 §3.2).
     */
    int length();

    /** Bytes this chunk occupies in a packet, padding included. Cheap: never allocates. */
    default int encodedLength() {
        return Wire.pad4(length());
    }

    /**
     * Writes exactly {@link #encodedLength()} bytes at the buffer's position and advances it. The
     * buffer must be in big-endian order (the {@link ByteBuffer} default) and have room.
     */
    void writeTo(ByteBuffer out);
}
