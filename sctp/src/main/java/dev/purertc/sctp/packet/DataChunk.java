package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * DATA chunk (RFC 9260 §3.3.1): TSN, Stream Identifier, Stream Sequence Number, Payload Protocol
 * Identifier and user data. Flags: I (RFC 7053 immediate SACK) 0x08, U (unordered) 0x04,
 * B (beginning fragment) 0x02, E (ending fragment) 0x01. The payload array is not copied: the
 * caller must not modify it after construction. An empty payload parses (the association answers
 * it with ABORT + No User Data, RFC 9260 §6.2).
 */
public record DataChunk(long tsn, int streamId, int ssn, long ppid, boolean unordered, boolean beginning,
        boolean ending, boolean immediateAck, byte[] payload) implements Chunk {
    public static final int TYPE = ChunkType.DATA;
    /** RFC 9260 §3.3.1: chunk header plus TSN, stream, SSN and PPID. */
    public static final int HEADER_LENGTH = 16;
    public static final int FLAG_ENDING = 0x01;
    public static final int FLAG_BEGINNING = 0x02;
    public static final int FLAG_UNORDERED = 0x04;
    public static final int FLAG_IMMEDIATE_ACK = 0x08;
    /** Largest payload a 16-bit chunk length can describe. */
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF - HEADER_LENGTH;

    public DataChunk {
        Wire.checkU32("tsn", tsn);
        Wire.checkU16("streamId", streamId);
        Wire.checkU16("ssn", ssn);
        Wire.checkU32("ppid", ppid);
        Objects.requireNonNull(payload, "payload");
        if (payload.length > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("DATA payload of " + payload.length + " bytes exceeds " + MAX_PAYLOAD_LENGTH);
        }
    }

    /** The flags byte as sent. */
    public int flags() {
        return (immediateAck ? FLAG_IMMEDIATE_ACK : 0) | (unordered ? FLAG_UNORDERED : 0)
                | (beginning ? FLAG_BEGINNING : 0) | (ending ? FLAG_ENDING : 0);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return HEADER_LENGTH + payload.length;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        int length = HEADER_LENGTH + payload.length;
        out.put((byte) TYPE).put((byte) flags()).putShort((short) length)
                .putInt((int) tsn).putShort((short) streamId).putShort((short) ssn).putInt((int) ppid)
                .put(payload);
        Wire.writePadding(out, length);
    }

    static DataChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start < HEADER_LENGTH) {
            throw new SctpPacketException("DATA chunk length " + (end - start) + " is below 16", start + 2);
        }
        return new DataChunk(Wire.u32(b, start + 4), Wire.u16(b, start + 8), Wire.u16(b, start + 10),
                Wire.u32(b, start + 12), (flags & FLAG_UNORDERED) != 0, (flags & FLAG_BEGINNING) != 0,
                (flags & FLAG_ENDING) != 0, (flags & FLAG_IMMEDIATE_ACK) != 0,
                Wire.bytes(b, start + HEADER_LENGTH, end - start - HEADER_LENGTH));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataChunk d && tsn == d.tsn && streamId == d.streamId && ssn == d.ssn && ppid == d.ppid
                && unordered == d.unordered && beginning == d.beginning && ending == d.ending
                && immediateAck == d.immediateAck && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tsn, streamId, ssn, ppid, flags()) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "DataChunk[tsn=" + tsn + ", streamId=" + streamId + ", ssn=" + ssn + ", ppid=" + ppid
                + ", flags=" + (unordered ? "U" : "") + (beginning ? "B" : "") + (ending ? "E" : "")
                + (immediateAck ? "I" : "") + ", payload=" + Wire.sizeOf(payload) + "]";
    }
}
