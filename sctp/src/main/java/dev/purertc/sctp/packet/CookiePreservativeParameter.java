package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Cookie Preservative parameter of INIT (RFC 9260 §3.3.2.1): suggested cookie life-span increment in milliseconds. */
public record CookiePreservativeParameter(long lifespanIncrementMillis) implements Parameter {
    public static final int TYPE = ParameterType.COOKIE_PRESERVATIVE;
    /** Header plus one 32-bit field. */
    public static final int LENGTH = 8;

    public CookiePreservativeParameter {
        Wire.checkU32("lifespanIncrementMillis", lifespanIncrementMillis);
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
        out.putShort((short) TYPE).putShort((short) LENGTH).putInt((int) lifespanIncrementMillis);
    }

    static CookiePreservativeParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("CookiePreservativeParameter parameter length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new CookiePreservativeParameter(Wire.u32(b, start + HEADER_LENGTH));
    }
}
