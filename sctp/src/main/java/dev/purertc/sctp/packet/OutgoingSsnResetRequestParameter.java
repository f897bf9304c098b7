package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Outgoing SSN Reset Request parameter (RFC 6525 §4.1): the sender resets its outgoing streams
 * (all of them when {@code streamIds} is empty) after {@code senderLastAssignedTsn}.
 */
public record OutgoingSsnResetRequestParameter(long requestSequenceNumber, long responseSequenceNumber,
        long senderLastAssignedTsn, List<Integer> streamIds) implements Parameter {
    public static final int TYPE = ParameterType.OUTGOING_SSN_RESET_REQUEST;
    /** Header plus the three 32-bit fields, before the stream list. */
    public static final int FIXED_LENGTH = 16;

    public OutgoingSsnResetRequestParameter {
        Wire.checkU32("requestSequenceNumber", requestSequenceNumber);
        Wire.checkU32("responseSequenceNumber", responseSequenceNumber);
        Wire.checkU32("senderLastAssignedTsn", senderLastAssignedTsn);
        streamIds = StreamIdLists.copyChecked(streamIds);
        Wire.checkTlvLength("OutgoingSsnResetRequestParameter", FIXED_LENGTH + 2 * streamIds.size());
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
        out.putShort((short) TYPE).putShort((short) length())
                .putInt((int) requestSequenceNumber).putInt((int) responseSequenceNumber)
                .putInt((int) senderLastAssignedTsn);
        StreamIdLists.write(out, streamIds);
        Wire.writePadding(out, length());
    }

    static OutgoingSsnResetRequestParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length < FIXED_LENGTH || (length - FIXED_LENGTH) % 2 != 0) {
            throw new SctpPacketException("Outgoing SSN Reset Request length " + length
                    + " is not 16 plus a whole number of 16-bit stream ids", start);
        }
        return new OutgoingSsnResetRequestParameter(Wire.u32(b, start + 4), Wire.u32(b, start + 8),
                Wire.u32(b, start + 12), StreamIdLists.read(b, start + FIXED_LENGTH, end));
    }
}
