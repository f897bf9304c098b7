package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Forward-TSN-Supported parameter of INIT and INIT ACK (RFC 3758 §3.1): no value. */
public record ForwardTsnSupportedParameter() implements Parameter {
    public static final int TYPE = ParameterType.FORWARD_TSN_SUPPORTED;

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
        out.putShort((short) TYPE).putShort((short) HEADER_LENGTH);
    }

    static ForwardTsnSupportedParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != HEADER_LENGTH) {
            throw new SctpPacketException("ForwardTsnSupportedParameter parameter length " + (end - start) + ", expected " + HEADER_LENGTH, start);
        }
        return new ForwardTsnSupportedParameter();
    }
}
