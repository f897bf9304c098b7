package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Incoming SSN Reset Request parameter (RFC 6525 §4.2): asks the peer to reset its outgoing streams
 * (all of them when {@code streamIds} is empty).
 */
public record IncomingSsnResetRequestParameter(long requestSequenceNumber, List<Integer> streamIds)
        implements Parameter {
    public static final int TYPE = ParameterType.INCOMING_SSN_RESET_REQUEST;
    /** Header plus the request sequence number, before the stream list. */
    public static final int FIXED_LENGTH = 8;

    public IncomingSsnResetRequestParameter {
        Wire.checkU32("requestSequenceNumber", requestSequenceNumber);
        streamIds = StreamIdLists.copyChecked(streamIds);
        Wire.checkTlvLength("IncomingSsnResetRequestParameter", FIXED_LENGTH + 2 * streamIds.size());
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + 2 * streamIds.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length()).putInt((int) requestSequenceNumber);
        StreamIdLists.write(out, streamIds);
        Wire.writePadding(out, length());
    }

    static IncomingSsnResetRequestParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length < FIXED_LENGTH || (length - FIXED_LENGTH) % 2 != 0) {
            throw new SctpPacketException("Incoming SSN Reset Request length " + length
                    + " is not 8 plus a whole number of 16-bit stream ids", start);
        }
        return new IncomingSsnResetRequestParameter(Wire.u32(b, start + 4),
                StreamIdLists.read(b, start + FIXED_LENGTH, end));
    }
}
