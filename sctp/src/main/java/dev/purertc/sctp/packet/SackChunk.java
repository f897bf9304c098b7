package dev.purertc.sctp.packet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SACK chunk (RFC 9260 §3.3.4): Cumulative TSN Ack, Advertised Receiver Window Credit, Number of Gap
 * Ack Blocks, Number of Duplicate TSNs, the gap blocks, then the duplicate TSNs.
 */
public record SackChunk(long cumulativeTsnAck, long advertisedReceiverWindowCredit, List<GapAckBlock> gapAckBlocks,
        List<Long> duplicateTsns) implements Chunk {
    public static final int TYPE = ChunkType.SACK;
    /** Chunk header plus the fixed fields. */
    public static final int FIXED_LENGTH = 16;

    /**
     * A Gap Ack Block: TSNs {@code cumulativeTsnAck + start} through {@code cumulativeTsnAck + end}
     * were received. Offsets are 16-bit, as on the wire.
     */
    public record GapAckBlock(int start, int end) {
        public GapAckBlock {
            Wire.checkU16("start", start);
            Wire.checkU16("end", end);
        }
    }

    public SackChunk {
        Wire.checkU32("cumulativeTsnAck", cumulativeTsnAck);
        Wire.checkU32("advertisedReceiverWindowCredit", advertisedReceiverWindowCredit);
        gapAckBlocks = List.copyOf(gapAckBlocks);
        duplicateTsns = List.copyOf(duplicateTsns);
        for (int i = 0; i < duplicateTsns.size(); i++) {
            Wire.checkU32("duplicate TSN", duplicateTsns.get(i));
        }
        if (gapAckBlocks.size() > 0xFFFF || duplicateTsns.size() > 0xFFFF) {
            throw new IllegalArgumentException("a SACK holds at most 65535 gap blocks and 65535 duplicate TSNs");
        }
        Wire.checkTlvLength("SACK chunk", FIXED_LENGTH + 4 * gapAckBlocks.size() + 4 * duplicateTsns.size());
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public int length() {
        return FIXED_LENGTH + 4 * gapAckBlocks.size() + 4 * duplicateTsns.size();
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) TYPE).put((byte) 0).putShort((short) length())
                .putInt((int) cumulativeTsnAck).putInt((int) advertisedReceiverWindowCredit)
                .putShort((short) gapAckBlocks.size()).putShort((short) duplicateTsns.size());
        for (int i = 0; i < gapAckBlocks.size(); i++) {
            GapAckBlock block = gapAckBlocks.get(i);
            out.putShort((short) block.start()).putShort((short) block.end());
        }
        for (int i = 0; i < duplicateTsns.size(); i++) {
            out.putInt((int) (long) duplicateTsns.get(i));
        }
    }

    static SackChunk parse(ByteBuffer b, int flags, int start, int end) throws SctpPacketException {
        int length = end - start;
        if (length < FIXED_LENGTH) {
            throw new SctpPacketException("SACK chunk length " + length + " is below 16", start + 2);
        }
        int gaps = Wire.u16(b, start + 12);
        int duplicates = Wire.u16(b, start + 14);
        if (length != FIXED_LENGTH + 4 * gaps + 4 * duplicates) {
            throw new SctpPacketException("SACK chunk length " + length + " does not match " + gaps
                    + " gap blocks and " + duplicates + " duplicate TSNs", start + 2);
        }
        List<GapAckBlock> blocks = new ArrayList<>(gaps);
        int at = start + FIXED_LENGTH;
        for (int i = 0; i < gaps; i++, at += 4) {
            blocks.add(new GapAckBlock(Wire.u16(b, at), Wire.u16(b, at + 2)));
        }
        List<Long> dups = new ArrayList<>(duplicates);
        for (int i = 0; i < duplicates; i++, at += 4) {
            dups.add(Wire.u32(b, at));
        }
        return new SackChunk(Wire.u32(b, start + 4), Wire.u32(b, start + 8), blocks, dups);
    }
}
