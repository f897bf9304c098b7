package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** No User Data (RFC 9260 §3.3.10.9): the TSN of the DATA chunk that carried no user data. */
public record NoUserDataCause(long tsn) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.NO_USER_DATA;
    /** Header plus one 32-bit field. */
    public static final int LENGTH = 8;

    public NoUserDataCause {
        Wire.checkU32("tsn", tsn);
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
        out.putShort((short) CODE).putShort((short) LENGTH).putInt((int) tsn);
    }

    static NoUserDataCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("NoUserDataCause cause length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new NoUserDataCause(Wire.u32(b, start + HEADER_LENGTH));
    }
}
