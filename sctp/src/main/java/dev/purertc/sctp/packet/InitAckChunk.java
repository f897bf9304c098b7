package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * INIT ACK chunk (RFC 9260 §3.3.3): Initiate Tag, Advertised Receiver Window Credit, Number of
 * Outbound Streams, Number of Inbound Streams, Initial TSN, then optional/variable parameters.
 * The State Cookie travels as a {@link StateCookieParameter} in {@code parameters}.
 */
public record InitAckChunk(long initiateTag, long advertisedReceiverWindowCredit, int outboundStreams,
        int inboundStreams, long initialTsn, List<Parameter> parameters) implements Chunk {
    public static final int TYPE = ChunkType.INIT_ACK;
    /** Chunk header plus the fixed fields. */
    public static final int FIXED_LENGTH = 20;

    public InitAckChunk {
        Wire.checkU32("initiateTag", initiateTag);
        Wire.checkU32("advertisedReceiverWindowCredit", advertisedReceiverWindowCredit);
        Wire.checkU16("outboundStreams", outboundStreams);
        Wire.checkU16("inboundStreams", inboundStreams);
        Wire.checkU32("initialTsn", initialTsn);
        parameters = List.copyOf(parameters);
        Wire.checkTlvLength("INIT ACK chunk", FIXED_LENGTH + TlvLists.parametersLength(parameters));
    }

    /** The first parameter of the given class, if present. */
    public <T extends Parameter> Optional<T> parameter(Class<T> type) {
        return Parameter.find(parameters, type);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + TlvLists.parametersLength(parameters);
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) length())
                .putInt((int) initiateTag).putInt((int) advertisedReceiverWindowCredit)
                .putShort((short) outboundStreams).putShort((short) inboundStreams).putInt((int) initialTsn);
        TlvLists.writeParameters(out, parameters);
    }

    static InitAckChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start < FIXED_LENGTH) {
            throw new SctpPacketException("INIT ACK chunk length " + (end - start) + " is below 20", start + 2);
        }
        return new InitAckChunk(Wire.u32(b, start + 4), Wire.u32(b, start + 8), Wire.u16(b, start + 12),
                Wire.u16(b, start + 14), Wire.u32(b, start + 16),
                TlvLists.parseParameters(b, start + FIXED_LENGTH, end));
    }
}
