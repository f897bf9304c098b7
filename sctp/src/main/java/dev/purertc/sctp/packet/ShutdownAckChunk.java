package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** SHUTDOWN ACK chunk (RFC 9260 §3.3.9): header only. */
public record ShutdownAckChunk() implements Chunk {
    public static final int TYPE = ChunkType.SHUTDOWN_ACK;

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
        out.put((byte) TYPE).put((byte) 0).putShort((short) HEADER_LENGTH);
    }

    static ShutdownAckChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("SHUTDOWN ACK chunk length " + (end - start) + ", expected 4", start + 2);
        }
        return new ShutdownAckChunk();
    }
}
