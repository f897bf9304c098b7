package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Stale Cookie Error (RFC 9260 §3.3.10.3): how late the cookie arrived, in microseconds. */
public record StaleCookieCause(long measureOfStalenessMicros) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.STALE_COOKIE_ERROR;
    /** Header plus one 32-bit field. */
    public static final int LENGTH = 8;

    public StaleCookieCause {
        Wire.checkU32("measureOfStalenessMicros", measureOfStalenessMicros);
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
        out.putShort((short) CODE).putShort((short) LENGTH).putInt((int) measureOfStalenessMicros);
    }

    static StaleCookieCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("StaleCookieCause cause length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new StaleCookieCause(Wire.u32(b, start + HEADER_LENGTH));
    }
}
