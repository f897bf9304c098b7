package dev.purertc.sctp.rx;

import dev.purertc.sctp.common.SerialNumbers;

/**
 * Tracks which TSNs were received from the peer (RFC 9260 §6.2): the cumulative TSN ack point,
 * the TSNs received above it (reported as gap ack blocks), duplicates (reported once in the next
 * SACK) and when a SACK is due under the delayed-ack rules (§6.2: at least every second packet
 * carrying DATA, within the delayed-ack timeout, immediately on gaps or duplicates).
 *
 * <p>TSNs are handled unwrapped (64-bit, monotonic) internally. Received TSNs above the cumulative
 * point are kept in a fixed bit ring, so at most {@link #MAX_TSN_AHEAD} TSNs beyond the cumulative
 * ack point are accepted; gap ack block offsets are 16-bit on the wire, so this is also the most
 * a SACK can describe. The ring (8 KiB) exists only while there is a gap: a connection that receives in
 * order, or sits idle, holds none (issue 11: thousands of idle connections). Not thread safe: owned by one
 * association.
 */
public final class DataTracker {
    /** How far beyond the cumulative TSN a received TSN may lie and still be accepted. */
    public static final int MAX_TSN_AHEAD = 65535;
    private static final int RING_BITS = 65536;
    private static final int RING_MASK = RING_BITS - 1;
    /** Bounds of one SACK so it fits a 1200-byte packet next to DATA (RFC 9260 §3.3.4). */
    public static final int MAX_GAP_BLOCKS = 64;
    public static final int MAX_DUPLICATES = 32;

    /** What {@link #observe} decided about a received TSN. */
    public enum Observation { NEW, DUPLICATE, OUT_OF_WINDOW }

    /** Bits of the TSNs received above the cumulative point; null while there is no gap (all bits clear). */
    private long[] ring;
    private long cumulativeTsn; // unwrapped
    private long highestReceived; // unwrapped, >= cumulativeTsn
    private final long[] duplicates = new long[MAX_DUPLICATES];
    private int duplicateCount;
    private long duplicatesReceived;
    private boolean ackNow;
    private int packetsSinceAck;
    private boolean ackDue;

    /** @param peerInitialTsn the initial TSN the peer announced in its INIT / INIT ACK (wire form) */
    public DataTracker(long peerInitialTsn) {
        this.cumulativeTsn = peerInitialTsn - 1;
        this.highestReceived = cumulativeTsn;
    }

    /** Unwraps a wire TSN relative to the cumulative TSN. */
    public long unwrap(long wireTsn) {
        return SerialNumbers.unwrap32(cumulativeTsn, wireTsn);
    }

    /** DATA chunks received again after they had been received (statistics: the peer's spurious retransmissions). */
    public long duplicatesReceived() {
        return duplicatesReceived;
    }

    public long cumulativeTsnUnwrapped() {
        return cumulativeTsn;
    }

    public long cumulativeTsnAck() {
        return SerialNumbers.wrap32(cumulativeTsn);
    }

    public long highestReceivedUnwrapped() {
        return highestReceived;
    }

    /** True when TSNs above the cumulative ack point were received (there is a gap). */
    public boolean hasGaps() {
        return highestReceived != cumulativeTsn;
    }

    /**
     * Records a received DATA chunk's TSN. A duplicate is remembered for the next SACK and makes the
     * next SACK immediate (RFC 9260 §6.2). A TSN too far ahead is neither recorded nor acked.
     */
    public Observation observe(long tsn) {
        if (tsn <= cumulativeTsn || isSet(tsn)) {
            duplicatesReceived++;
            if (duplicateCount < MAX_DUPLICATES) {
                duplicates[duplicateCount++] = SerialNumbers.wrap32(tsn);
            }
            ackNow = true;
            return Observation.DUPLICATE;
        }
        if (tsn - cumulativeTsn > MAX_TSN_AHEAD) {
            return Observation.OUT_OF_WINDOW;
        }
        if (tsn == cumulativeTsn + 1) {
            cumulativeTsn = tsn;
            advanceCumulative();
        } else {
            set(tsn);
            // An out-of-order arrival means loss or reordering: report it at once (RFC 9260 §6.7).
            ackNow = true;
        }
        if (tsn > highestReceived) {
            highestReceived = tsn;
        }
        if (highestReceived < cumulativeTsn) {
            highestReceived = cumulativeTsn;
        }
        releaseRingWithoutGaps();
        return Observation.NEW;
    }

    /** Whether {@code tsn} (unwrapped) was already received. */
    public boolean isReceived(long tsn) {
        return tsn <= cumulativeTsn || (tsn - cumulativeTsn <= MAX_TSN_AHEAD && isSet(tsn));
    }

    /** Requests that the next SACK goes out without delay (e.g. the I bit, RFC 7053). */
    public void requestImmediateAck() {
        ackNow = true;
    }

    /**
     * Called once per received packet that carried DATA, after its chunks were observed.
     * @return true when a SACK should be sent now; otherwise the delayed-ack timer should run
     */
    public boolean packetEnded() {
        ackDue = true;
        packetsSinceAck++;
        // RFC 9260 §6.2: acknowledge at least every second packet; at once on gaps and duplicates.
        return ackNow || packetsSinceAck >= 2 || hasGaps();
    }

    /** True when a SACK is owed to the peer (data was received since the last SACK). */
    public boolean isAckDue() {
        return ackDue;
    }

    /** Forces a SACK to be owed, e.g. after a FORWARD TSN (RFC 3758 §3.6). */
    public void markAckDue() {
        ackDue = true;
        ackNow = true;
    }

    /**
     * Handles a FORWARD TSN (RFC 3758 §3.6): moves the cumulative TSN to {@code newCumulativeTsn}
     * (unwrapped) if it is ahead, treating every TSN up to it as received.
     * @return true when the cumulative point moved
     */
    public boolean forwardTo(long newCumulativeTsn) {
        ackDue = true;
        ackNow = true;
        if (newCumulativeTsn <= cumulativeTsn) {
            return false;
        }
        if (newCumulativeTsn - cumulativeTsn > MAX_TSN_AHEAD) {
            // Beyond what the ring tracks: everything tracked is below it, so clear and jump.
            ring = null;
            cumulativeTsn = newCumulativeTsn;
        } else {
            for (long t = cumulativeTsn + 1; t <= newCumulativeTsn; t++) {
                clear(t);
            }
            cumulativeTsn = newCumulativeTsn;
            advanceCumulative();
        }
        if (highestReceived < cumulativeTsn) {
            highestReceived = cumulativeTsn;
        }
        releaseRingWithoutGaps();
        return true;
    }

    /** Gap ack blocks as 16-bit offsets from the cumulative TSN, written as [start0, end0, start1, ...]. */
    public int gapAckBlocks(int[] out) {
        int n = 0;
        long t = cumulativeTsn + 1;
        long limit = highestReceived + 1;
        while (t < limit && n < MAX_GAP_BLOCKS) {
            long start = nextSet(t, limit);
            if (start >= limit) {
                break;
            }
            long end = nextClear(start, limit) - 1;
            out[2 * n] = (int) (start - cumulativeTsn);
            out[2 * n + 1] = (int) (end - cumulativeTsn);
            n++;
            t = end + 1;
        }
        return n;
    }

    /** Duplicate TSNs since the last SACK (wire form); cleared by {@link #sackSent()}. */
    public long[] duplicateTsns() {
        return java.util.Arrays.copyOf(duplicates, duplicateCount);
    }

    /** Resets the delayed-ack state once a SACK was built. */
    public void sackSent() {
        duplicateCount = 0;
        ackNow = false;
        packetsSinceAck = 0;
        ackDue = false;
    }

    private void advanceCumulative() {
        while (cumulativeTsn < highestReceived && isSet(cumulativeTsn + 1)) {
            cumulativeTsn++;
            clear(cumulativeTsn);
        }
    }

    /** Test hook: whether the gap ring is allocated. */
    boolean holdsRing() {
        return ring != null;
    }

    /** Without a gap every bit above the cumulative point is clear (each was cleared as it was reached). */
    private void releaseRingWithoutGaps() {
        if (ring != null && highestReceived == cumulativeTsn) {
            ring = null;
        }
    }

    private boolean isSet(long tsn) {
        if (ring == null) {
            return false;
        }
        int i = (int) (tsn & RING_MASK);
        return (ring[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void set(long tsn) {
        if (ring == null) {
            ring = new long[RING_BITS / 64];
        }
        int i = (int) (tsn & RING_MASK);
        ring[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long tsn) {
        if (ring == null) {
            return;
        }
        int i = (int) (tsn & RING_MASK);
        ring[i >>> 6] &= ~(1L << (i & 63));
    }

    private long nextSet(long from, long limit) {
        if (ring == null) {
            return limit;
        }
        long t = from;
        while (t < limit) {
            int i = (int) (t & RING_MASK);
            long word = ring[i >>> 6] >>> (i & 63);
            if (word != 0) {
                return Math.min(limit, t + Long.numberOfTrailingZeros(word));
            }
            t += 64 - (i & 63);
        }
        return limit;
    }

    private long nextClear(long from, long limit) {
        if (ring == null) {
            return from < limit ? from : limit;
        }
        long t = from;
        while (t < limit) {
            int i = (int) (t & RING_MASK);
            long word = ~ring[i >>> 6] >>> (i & 63);
            if (word != 0) {
                return Math.min(limit, t + Long.numberOfTrailingZeros(word));
            }
            t += 64 - (i & 63);
        }
        return limit;
    }
}
