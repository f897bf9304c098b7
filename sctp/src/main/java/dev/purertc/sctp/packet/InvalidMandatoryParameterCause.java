package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Invalid Mandatory Parameter (RFC 9260 §3.3.10.7): no information. */
public record InvalidMandatoryParameterCause() implements ErrorCause {
    public static final int CODE = ErrorCauseCode.INVALID_MANDATORY_PARAMETER;

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

    static InvalidMandatoryParameterCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("InvalidMandatoryParameterCause cause length " + (end - start) + ", expected " + HEADER_LENGTH, start);
        }
        return new InvalidMandatoryParameterCause();
    }
}
