package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Invalid Stream Identifier (RFC 9260 §3.3.10.1): Stream Identifier, then 16 reserved bits. */
public record InvalidStreamIdentifierCause(int streamId) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.INVALID_STREAM_IDENTIFIER;
    public static final int LENGTH = 8;

    public InvalidStreamIdentifierCause {
        Wire.checkU16("streamId", streamId);
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) LENGTH).putShort((short) streamId).putShort((short) 0);
    }

    static InvalidStreamIdentifierCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("Invalid Stream Identifier cause length " + (end - start) + ", expected 8", start);
        }
        return new InvalidStreamIdentifierCause(Wire.u16(b, start + 4));
    }
}
