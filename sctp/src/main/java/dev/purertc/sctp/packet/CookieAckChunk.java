package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** COOKIE ACK chunk (RFC 9260 §3.3.12): header only. */
public record CookieAckChunk() implements Chunk {
    public static final int TYPE = ChunkType.COOKIE_ACK;

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

    static CookieAckChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("COOKIE ACK chunk length " + (end - start) + ", expected 4", start + 2);
        }
        return new CookieAckChunk();
    }
}
