package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * FORWARD TSN chunk (RFC 3758 §3.2): New Cumulative TSN, then one (Stream, Stream Sequence) pair per
 * ordered stream whose skipped messages the receiver may stop waiting for.
 */
public record ForwardTsnChunk(long newCumulativeTsn, List<SkippedStream> skippedStreams) implements Chunk {
    public static final int TYPE = ChunkType.FORWARD_TSN;
    /** Chunk header plus the New Cumulative TSN. */
    public static final int FIXED_LENGTH = 8;

    /** The largest SSN skipped on a stream. */
    public record SkippedStream(int streamId, int ssn) {
        public SkippedStream {
            Wire.checkU16("streamId", streamId);
            Wire.checkU16("ssn", ssn);
        }
    }

    public ForwardTsnChunk {
        Wire.checkU32("newCumulativeTsn", newCumulativeTsn);
        skippedStreams = List.copyOf(skippedStreams);
        Wire.checkTlvLength("FORWARD TSN chunk", FIXED_LENGTH + 4 * skippedStreams.size());
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + 4 * skippedStreams.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) length()).putInt((int) newCumulativeTsn);
        for (int i = 0; i < skippedStreams.size(); i++) {
            SkippedStream s = skippedStreams.get(i);
            out.putShort((short) s.streamId()).putShort((short) s.ssn());
        }
    }

    static ForwardTsnChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length < FIXED_LENGTH || (length - FIXED_LENGTH) % 4 != 0) {
            throw new SctpPacketException("FORWARD TSN chunk length " + length
                    + " is not 8 plus a whole number of 4-byte stream entries", start + 2);
        }
        List<SkippedStream> streams = new ArrayList<>((length - FIXED_LENGTH) / 4);
        for (int at = start + FIXED_LENGTH; at < end; at += 4) {
            streams.add(new SkippedStream(Wire.u16(b, at), Wire.u16(b, at + 2)));
        }
        return new ForwardTsnChunk(Wire.u32(b, start + 4), streams);
    }
}
