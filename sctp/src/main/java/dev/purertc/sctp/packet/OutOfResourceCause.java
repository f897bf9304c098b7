package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Out of Resource (RFC 9260 §3.3.10.4): no information. */
public record OutOfResourceCause() implements ErrorCause {
    public static final int CODE = ErrorCauseCode.OUT_OF_RESOURCE;

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) HEADER_LENGTH);
    }

    static OutOfResourceCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("OutOfResourceCause cause length " + (end - start) + ", expected " + HEADER_LENGTH, start);
        }
        return new OutOfResourceCause();
    }
}
