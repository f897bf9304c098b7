package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** SHUTDOWN chunk (RFC 9260 §3.3.8): the sender's Cumulative TSN Ack. */
public record ShutdownChunk(long cumulativeTsnAck) implements Chunk {
    public static final int TYPE = ChunkType.SHUTDOWN;
    public static final int LENGTH = 8;

    public ShutdownChunk {
        Wire.checkU32("cumulativeTsnAck", cumulativeTsnAck);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) LENGTH).putInt((int) cumulativeTsnAck);
    }

    static ShutdownChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("SHUTDOWN chunk length " + (end - start) + ", expected 8", start + 2);
        }
        return new ShutdownChunk(Wire.u32(b, start + 4));
    }
}
