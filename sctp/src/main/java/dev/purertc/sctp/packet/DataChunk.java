package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * DATA chunk (RFC 9260 §3.3.1): TSN, Stream Identifier, Stream Sequence Number, Payload Protocol
 * Identifier and user data. Flags: I (RFC 7053 immediate SACK) 0x08, U (unordered) 0x04,
 * B (beginning fragment) 0x02, E (ending fragment) 0x01. An empty payload parses (the association
 * answers it with ABORT + No User Data, RFC 9260 §6.2).
 *
 * <p><b>Payload ownership:</b> the user data is the range {@code [payloadOffset, payloadOffset +
 * payloadLength)} of {@link #payloadArray()}, which is never copied: a chunk built for sending is a
 * view of the message being fragmented, and a parsed chunk is a view of the packet it came from. The
 * array must not be modified while the chunk is in use. {@link #payload()} returns exactly the user
 * data: the array itself when the chunk covers all of it, otherwise a copy of the range.
 */
public record DataChunk(long tsn, int streamId, int ssn, long ppid, boolean unordered, boolean beginning,
        boolean ending, boolean immediateAck, byte[] payloadArray, int payloadOffset, int payloadLength)
        implements Chunk {
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
        Objects.requireNonNull(payloadArray, "payload");
        Objects.checkFromIndexSize(payloadOffset, payloadLength, payloadArray.length);
        if (payloadLength > MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("DATA payload of " + payloadLength + " bytes exceeds " + MAX_PAYLOAD_LENGTH);
        }
    }

    /** A chunk whose user data is all of {@code payload} (not copied). */
    public DataChunk(long tsn, int streamId, int ssn, long ppid, boolean unordered, boolean beginning,
            boolean ending, boolean immediateAck, byte[] payload) {
        this(tsn, streamId, ssn, ppid, unordered, beginning, ending, immediateAck, payload, 0,
                Objects.requireNonNull(payload, "payload").length);
    }

    /** The user data as an exact array: the backing array when the chunk spans all of it, else a copy. */
    public byte[] payload() {
        if (payloadOffset == 0 && payloadLength == payloadArray.length) {
            return payloadArray;
        }
        return Arrays.copyOfRange(payloadArray, payloadOffset, payloadOffset + payloadLength);
    }

    /** A read-only view of the user data (no copy). */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payloadArray, payloadOffset, payloadLength).slice().asReadOnlyBuffer();
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
        return HEADER_LENGTH + payloadLength;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        int length = HEADER_LENGTH + payloadLength;
        out.put((byte) TYPE).put((byte) flags()).putShort((short) length)
                .putInt((int) tsn).putShort((short) streamId).putShort((short) ssn).putInt((int) ppid)
                .put(payloadArray, payloadOffset, payloadLength);
        Wire.writePadding(out, length);
    }

    /**
     * Parses the chunk at {@code [start, end)}. When {@code b} is backed by an accessible array the
     * payload is a view of that array (no copy); otherwise (direct or read-only buffers) it is copied.
     */
    static DataChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        if (end - start < HEADER_LENGTH) {
            throw new SctpPacketException("DATA chunk length " + (end - start) + " is below 16", start + 2);
        }
        int length = end - start - HEADER_LENGTH;
        byte[] array;
        int offset;
        if (b.hasArray()) {
            array = b.array();
            offset = b.arrayOffset() + start + HEADER_LENGTH;
        } else {
            array = Wire.bytes(b, start + HEADER_LENGTH, length);
            offset = 0;
        }
        return new DataChunk(Wire.u32(b, start + 4), Wire.u16(b, start + 8), Wire.u16(b, start + 10),
                Wire.u32(b, start + 12), (flags & FLAG_UNORDERED) != 0, (flags & FLAG_BEGINNING) != 0,
                (flags & FLAG_ENDING) != 0, (flags & FLAG_IMMEDIATE_ACK) != 0, array, offset, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataChunk d && tsn == d.tsn && streamId == d.streamId && ssn == d.ssn && ppid == d.ppid
                && unordered == d.unordered && beginning == d.beginning && ending == d.ending
                && immediateAck == d.immediateAck
                && Arrays.equals(payloadArray, payloadOffset, payloadOffset + payloadLength,
                        d.payloadArray, d.payloadOffset, d.payloadOffset + d.payloadLength);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = payloadOffset, end = payloadOffset + payloadLength; i < end; i++) {
            h = 31 * h + payloadArray[i];
        }
        return Objects.hash(tsn, streamId, ssn, ppid, flags()) * 31 + h;
    }

    @Override
    public String toString() {
        return "DataChunk[tsn=" + tsn + ", streamId=" + streamId + ", ssn=" + ssn + ", ppid=" + ppid
                + ", flags=" + (unordered ? "U" : "") + (beginning ? "B" : "") + (ending ? "E" : "")
                + (immediateAck ? "I" : "") + ", payload=" + payloadLength + " bytes]";
    }
}
