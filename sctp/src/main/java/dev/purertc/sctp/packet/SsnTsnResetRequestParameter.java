package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** SSN/TSN Reset Request parameter of RE-CONFIG (RFC 6525 §4.3). */
public record SsnTsnResetRequestParameter(long requestSequenceNumber) implements Parameter {
    public static final int TYPE = ParameterType.SSN_TSN_RESET_REQUEST;
    /** Header plus one 32-bit field. */
    public static final int LENGTH = 8;

    public SsnTsnResetRequestParameter {
        Wire.checkU32("requestSequenceNumber", requestSequenceNumber);
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
        out.putShort((short) TYPE).putShort((short) LENGTH).putInt((int) requestSequenceNumber);
    }

    static SsnTsnResetRequestParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("SsnTsnResetRequestParameter parameter length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new SsnTsnResetRequestParameter(Wire.u32(b, start + HEADER_LENGTH));
    }
}
