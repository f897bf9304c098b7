package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * Re-configuration Response parameter (RFC 6525 §4.4). The two next-TSN fields are optional but go
 * together: both present (only in a response to an SSN/TSN Reset Request) or both absent.
 */
public record ReconfigurationResponseParameter(long responseSequenceNumber, Result result,
        OptionalLong senderNextTsn, OptionalLong receiverNextTsn) implements Parameter {
    public static final int TYPE = ParameterType.RECONFIGURATION_RESPONSE;
    public static final int LENGTH_WITHOUT_TSNS = 12;
    public static final int LENGTH_WITH_TSNS = 20;

    /** Result field values, RFC 6525 §4.4. */
    public enum Result {
        SUCCESS_NOTHING_TO_DO(0),
        SUCCESS_PERFORMED(1),
        DENIED(2),
        ERROR_WRONG_SSN(3),
        ERROR_REQUEST_ALREADY_IN_PROGRESS(4),
        ERROR_BAD_SEQUENCE_NUMBER(5),
        IN_PROGRESS(6);

        private static final Result[] BY_CODE = values();

        private final int code;

        Result(int code) {
            this.code = code;
        }

        /** The wire value. */
        public int code() {
            return code;
        }

        /** The result with this wire value, or null if RFC 6525 defines none. */
        public static Result fromCode(long code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
        }
    }

    public ReconfigurationResponseParameter {
        Wire.checkU32("responseSequenceNumber", responseSequenceNumber);
        java.util.Objects.requireNonNull(result, "result");
        java.util.Objects.requireNonNull(senderNextTsn, "senderNextTsn");
        java.util.Objects.requireNonNull(receiverNextTsn, "receiverNextTsn");
        if (senderNextTsn.isPresent() != receiverNextTsn.isPresent()) {
            throw new IllegalArgumentException("senderNextTsn and receiverNextTsn must be both present or both absent");
        }
        if (senderNextTsn.isPresent()) {
            Wire.checkU32("senderNextTsn", senderNextTsn.getAsLong());
            Wire.checkU32("receiverNextTsn", receiverNextTsn.getAsLong());
        }
    }

    /** A response without the optional next-TSN fields. */
    public ReconfigurationResponseParameter(long responseSequenceNumber, Result result) {
        this(responseSequenceNumber, result, OptionalLong.empty(), OptionalLong.empty());
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return senderNextTsn.isPresent() ? LENGTH_WITH_TSNS : LENGTH_WITHOUT_TSNS;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) TYPE).putShort((short) length()).putInt((int) responseSequenceNumber)
                .putInt(result.code());
        if (senderNextTsn.isPresent()) {
            out.putInt((int) senderNextTsn.getAsLong()).putInt((int) receiverNextTsn.getAsLong());
        }
    }

    static ReconfigurationResponseParameter parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length != LENGTH_WITHOUT_TSNS && length != LENGTH_WITH_TSNS) {
            throw new SctpPacketException("Re-configuration Response length " + length + ", expected 12 or 20", start);
        }
        long code = Wire.u32(b, start + 8);
        Result result = Result.fromCode(code);
        if (result == null) {
            throw new SctpPacketException("Re-configuration Response has unknown result " + code, start + 8);
        }
        if (length == LENGTH_WITHOUT_TSNS) {
            return new ReconfigurationResponseParameter(Wire.u32(b, start + 4), result);
        }
        return new ReconfigurationResponseParameter(Wire.u32(b, start + 4), result,
                OptionalLong.of(Wire.u32(b, start + 12)), OptionalLong.of(Wire.u32(b, start + 16)));
    }
}
