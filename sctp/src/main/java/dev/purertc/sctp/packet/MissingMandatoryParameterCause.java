package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Missing Mandatory Parameter (RFC 9260 §3.3.10.2): Number of missing params (32 bits), then one
 * 16-bit parameter type per missing parameter.
 */
public record MissingMandatoryParameterCause(List<Integer> parameterTypes) implements ErrorCause {
    public static final int CODE = ErrorCauseCode.MISSING_MANDATORY_PARAMETER;
    public static final int FIXED_LENGTH = 8;

    public MissingMandatoryParameterCause {
        parameterTypes = List.copyOf(parameterTypes);
        for (int i = 0; i < parameterTypes.size(); i++) {
            Wire.checkU16("parameter type", parameterTypes.get(i));
        }
        Wire.checkTlvLength("MissingMandatoryParameterCause", FIXED_LENGTH + 2 * parameterTypes.size());
    }

    @Override
    public int code() {
        return CODE;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + 2 * parameterTypes.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.putShort((short) CODE).putShort((short) length()).putInt(parameterTypes.size());
        for (int i = 0; i < parameterTypes.size(); i++) {
            out.putShort((short) (int) parameterTypes.get(i));
        }
        Wire.writePadding(out, length());
    }

    static MissingMandatoryParameterCause parse(ByteBuffer b, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length < FIXED_LENGTH) {
            throw new SctpPacketException("Missing Mandatory Parameter cause length " + length + " is below 8", start);
        }
        long count = Wire.u32(b, start + 4);
        if (count != (length - FIXED_LENGTH) / 2 || (length - FIXED_LENGTH) % 2 != 0) {
            throw new SctpPacketException("Missing Mandatory Parameter cause declares " + count
                    + " types but its length is " + length, start + 4);
        }
        List<Integer> types = new ArrayList<>((int) count);
        for (int i = start + FIXED_LENGTH; i < end; i += 2) {
            types.add(Wire.u16(b, i));
        }
        return new MissingMandatoryParameterCause(types);
    }
}
