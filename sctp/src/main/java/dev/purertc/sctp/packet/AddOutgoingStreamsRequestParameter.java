package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;

/** Add Outgoing Streams Request parameter (RFC 6525 §4.5): Number of New Streams, then 16 reserved bits. */
public record AddOutgoingStreamsRequestParameter(long requestSequenceNumber, int newStreams) implements Parameter {
    public static final int TYPE = ParameterType.ADD_OUTGOING_STREAMS_REQUEST;
    public static final int LENGTH = 12;

    public AddOutgoingStreamsRequestParameter {
        Wire.checkU32("requestSequenceNumber", requestSequenceNumber);
        Wire.checkU16("newStreams", newStreams);
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
        out.putShort((short) TYPE).putShort((short) LENGTH).putInt((int) requestSequenceNumber)
                .putShort((short) newStreams).putShort((short) 0);
    }

    static AddOutgoingStreamsRequestParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        if (end - start != LENGTH) {
            throw new SctpPacketException("Add Outgoing Streams Request length " + (end - start) + ", expected " + LENGTH, start);
        }
        return new AddOutgoingStreamsRequestParameter(Wire.u32(b, start + 4), Wire.u16(b, start + 8));
    }
}
