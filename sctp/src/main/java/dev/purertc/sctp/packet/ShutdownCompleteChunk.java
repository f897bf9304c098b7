package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/**
 * SHUTDOWN COMPLETE chunk (RFC 9260 §3.3.13): header only; the T bit (0x01) says the verification tag
 * is the sender's own, reflected.
 */
public record ShutdownCompleteChunk(boolean tagReflected) implements Chunk {
    public static final int TYPE = ChunkType.SHUTDOWN_COMPLETE;
    public static final int FLAG_T = 0x01;

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) (tagReflected ? FLAG_T : 0)).putShort((short) HEADER_LENGTH);
    }

    static ShutdownCompleteChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("SHUTDOWN COMPLETE chunk length " + (end - start) + ", expected 4", start + 2);
        }
        return new ShutdownCompleteChunk((flags & FLAG_T) != 0);
    }
}
