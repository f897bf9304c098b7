package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Zero Checksum Acceptable parameter (RFC 9653 §4): the alternate error detection method in use
 * (1 = DTLS, {@link #METHOD_DTLS}). */
public record ZeroChecksumAcceptableParameter(long errorDetectionMethod) implements Parameter {
    public static final int TYPE = ParameterType.ZERO_CHECKSUM_ACCEPTABLE;
    /** Header plus one 32-bit field. */
    public static final int LENGTH = 8;
    /** RFC 9653 §5: Error Detection Method Identifier 1, "SCTP over DTLS" (RFC 8261). */
    public static final long METHOD_DTLS = 1;

    public ZeroChecksumAcceptableParameter {
        Wire.checkU32("errorDetectionMethod", errorDetectionMethod);
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
        out.putShort((short) TYPE).putShort((short) LENGTH).putInt((int) errorDetectionMethod);
    }

    static ZeroChecksumAcceptableParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("ZeroChecksumAcceptableParameter parameter length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new ZeroChecksumAcceptableParameter(Wire.u32(b, start + HEADER_LENGTH));
    }
}
