package dev.purertc.sctp.tx;

import dev.purertc.sctp.common.SerialNumbers;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sender's outstanding DATA: TSN assignment, SACK processing (cumulative ack, gap ack blocks,
 * miss indications), fast retransmit and fast recovery (RFC 9260 §7.2.4), T3-rtx expiry (§6.3.3),
 * detection of a lost fast retransmission (in the spirit of RACK, RFC 8985: a retransmission still
 * missing after chunks sent later were acknowledged is lost again and goes once more, instead of
 * waiting for T3-rtx, which stalls the association for at least RTO.Min and collapses cwnd),
 * congestion control (§7.2: slow start, congestion avoidance), the peer's receive window (§6.2.1)
 * and partial reliability (RFC 3758: abandoning messages, the advanced peer ack point, FORWARD TSN).
 *
 * <p>Outstanding chunks sit in a ring indexed by unwrapped TSN, so SACK handling costs the number
 * of chunks it acknowledges plus the ones it reports missing. New data is pulled from the
 * {@link SendQueue}. Timers are the association's: it asks {@link #hasOutstanding()} to run T3-rtx
 * and calls {@link #handleT3Expiry(long)}. Not thread safe: owned by one association.
 */
public final class RetransmissionQueue {
    /** DATA chunk header, RFC 9260 §3.3.1. */
    public static final int DATA_CHUNK_HEADER = 16;
    /** Never more outstanding chunks than a SACK's 16-bit gap offsets can describe. */
    public static final int MAX_OUTSTANDING_CHUNKS = 60_000;

    private static final byte IN_FLIGHT = 0;
    private static final byte ACKED = 1;
    private static final byte TO_RETRANSMIT = 2;
    private static final byte ABANDONED = 3;

    /** One sent DATA chunk. */
    public static final class SentChunk {
        final long tsn;
        final Fragment fragment;
        final int chunkBytes;
        byte state;
        int nacks;
        int retransmits;
        long sentAt;
        /** Order of this chunk's latest transmission among all of the queue's transmissions. */
        long sendOrder;
        boolean retransmitted;
        boolean fastRetransmitted;

        SentChunk(long tsn, Fragment fragment, long now) {
            this.tsn = tsn;
            this.fragment = fragment;
            this.chunkBytes = DATA_CHUNK_HEADER + ((fragment.payloadLength() + 3) & ~3);
            this.sentAt = now;
        }

        /** TSN in wire form. */
        public long tsn() {
            return SerialNumbers.wrap32(tsn);
        }

        public Fragment fragment() {
            return fragment;
        }

        /** True for a retransmission (the receiver should ack it at once: RFC 7053 I bit not used). */
        public boolean isRetransmission() {
            return retransmitted;
        }
    }

    private final SendQueue sendQueue;
    private final boolean partialReliability;
    private final RetransmissionTimeout rto;
    private final int mtu;
    /** Grows by doubling as chunks are outstanding; an idle association keeps 64 slots. */
    private SentChunk[] ring = new SentChunk[64];
    private int mask = ring.length - 1;
    private long cumAck; // unwrapped: highest TSN acked cumulatively by the peer
    private long nextTsn; // unwrapped: next TSN to assign
    private long inFlightBytes;
    private long inFlightPayload;
    private long cwnd;
    /** Null when the window follows losses only. */
    private final QueueDelayLimit queueDelay;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private long fastRecoveryExit;
    /** Bytes of marked chunks that may still go regardless of cwnd: one packet per fast retransmit (§7.2.4 3). */
    private int fastRetransmitBudget;
    private long retransmittedChunks;
    /** Transmissions so far (new and retransmitted chunks): the next {@link SentChunk#sendOrder}. */
    private long transmissions;
    private long lostRetransmissions;
    private long peerRwnd;
    private final TreeSet<Long> toRetransmit = new TreeSet<>();
    private long advancedPeerAckPoint;
    private long lastForwardTsnSent;
    private boolean forwardTsnPending;
    private long abandonedMessages;
    // Undo of a spurious fast retransmit (in the spirit of RFC 3708 / TCP DSACK): when the peer reports
    // every chunk fast-retransmitted in a recovery episode as a duplicate, the originals had only been
    // reordered, and the window reduction of that episode is taken back.
    private final java.util.HashSet<Long> episodeRetransmits = new java.util.HashSet<>();
    private long cwndBeforeRecovery;
    private long ssthreshBeforeRecovery;
    private boolean undoPossible;
    private long spuriousRecoveriesUndone;
    private long t3Expiries;
    private long fastRecoveries;
    /**
     * Miss indications that trigger a fast retransmit: 3 (RFC 9260 §7.2.4) until retransmissions are
     * seen to be spurious (the path reorders), then raised, as TCP stacks adapt their duplicate-ack
     * threshold to the reordering they measure; a real loss is still recovered, a little later.
     */
    private int nackThreshold = 3;
    /** Gap-acked ranges above the cumulative ack, so a SACK's cost follows what it changes. */
    private final AckedRanges ackedRanges = new AckedRanges();
    /** Chunks looked at by SACK gap and miss-indication processing, for tests that pin its cost. */
    private long sackVisits;
    static final int MAX_NACK_THRESHOLD = 128;

    /**
     * @param initialTsn our initial TSN (wire form) as sent in INIT / INIT ACK
     * @param peerAdvertisedRwnd the a_rwnd from the peer's INIT / INIT ACK (also the first ssthresh, §7.2.1)
     */
    public RetransmissionQueue(SendQueue sendQueue, RetransmissionTimeout rto, int mtu, long initialTsn,
            long initialCwnd, long peerAdvertisedRwnd) {
        this(sendQueue, rto, mtu, initialTsn, initialCwnd, peerAdvertisedRwnd, true);
    }

    /**
     * @param partialReliability whether the peer supports FORWARD TSN (RFC 3758 §3.3): without it,
     *        sent messages are never abandoned, since the peer could not be told to skip them
     */
    public RetransmissionQueue(SendQueue sendQueue, RetransmissionTimeout rto, int mtu, long initialTsn,
            long initialCwnd, long peerAdvertisedRwnd, boolean partialReliability) {
        this(sendQueue, rto, mtu, initialTsn, initialCwnd, peerAdvertisedRwnd, partialReliability, null);
    }

    /**
     * @param queueDelay what also bounds the window by the queueing delay it causes, or null for a
     *        window that follows losses only
     */
    public RetransmissionQueue(SendQueue sendQueue, RetransmissionTimeout rto, int mtu, long initialTsn,
            long initialCwnd, long peerAdvertisedRwnd, boolean partialReliability, QueueDelayLimit queueDelay) {
        this.queueDelay = queueDelay;
        this.partialReliability = partialReliability;
        this.sendQueue = sendQueue;
        this.rto = rto;
        this.mtu = mtu;
        this.nextTsn = initialTsn;
        this.cumAck = initialTsn - 1;
        this.advancedPeerAckPoint = cumAck;
        this.lastForwardTsnSent = cumAck;
        this.cwnd = initialCwnd;
        this.ssthresh = peerAdvertisedRwnd;
        this.peerRwnd = peerAdvertisedRwnd;
    }

    public long cwnd() {
        return cwnd;
    }

    public long ssthresh() {
        return ssthresh;
    }

    public long peerRwnd() {
        return peerRwnd;
    }

    public long inFlightBytes() {
        return inFlightBytes;
    }

    /** True in slow start (RFC 9260 §7.2.1: cwnd &lt;= ssthresh). */
    public boolean isInSlowStart() {
        return cwnd <= ssthresh;
    }

    /** T3-rtx expiries handled so far (statistics: each one collapses cwnd to one MTU, §7.2.3). */
    public long t3Expiries() {
        return t3Expiries;
    }

    /** DATA chunks sent again so far, by fast retransmit or after a T3-rtx expiry (statistics). */
    public long retransmittedChunks() {
        return retransmittedChunks;
    }

    /**
     * Fast retransmissions found lost themselves (chunks sent after them were acknowledged while
     * they stayed missing) and sent once more without waiting for T3-rtx (statistics).
     */
    public long lostRetransmissions() {
        return lostRetransmissions;
    }

    /** Fast retransmit episodes entered so far (statistics, §7.2.4). */
    public long fastRecoveries() {
        return fastRecoveries;
    }

    public boolean isInFastRecovery() {
        return fastRecovery;
    }

    /** Messages abandoned under partial reliability so far. */
    public long abandonedMessages() {
        return abandonedMessages;
    }

    /** Cumulative TSN acked by the peer, wire form. */
    public long cumulativeTsnAcked() {
        return SerialNumbers.wrap32(cumAck);
    }

    /** The last TSN assigned, wire form (RFC 6525 "Sender's Last Assigned TSN"). */
    public long lastAssignedTsn() {
        return SerialNumbers.wrap32(nextTsn - 1);
    }

    /** The next TSN to assign, wire form. */
    public long nextTsn() {
        return SerialNumbers.wrap32(nextTsn);
    }

    /** True when chunks are outstanding or the peer still has to be told to skip abandoned ones. */
    public boolean hasOutstanding() {
        return nextTsn - 1 > cumAck;
    }

    /** True when every sent chunk was acknowledged (used by SHUTDOWN, RFC 9260 §9.2). */
    public boolean isEmpty() {
        return nextTsn - 1 == cumAck;
    }

    private SentChunk at(long tsn) {
        return ring[(int) (tsn & mask)];
    }

    /** True when something can be sent now: retransmissions or new data within cwnd and rwnd. */
    public boolean hasSomethingToSend() {
        if (!toRetransmit.isEmpty() && (fastRetransmitBudget > 0 || inFlightBytes < cwnd)) {
            return true;
        }
        return sendQueue.hasDataToSend() && newDataAllowance(Integer.MAX_VALUE) > 0;
    }

    /**
     * Payload bytes a new DATA chunk may carry now (RFC 9260 §6.1 A and B): none when cwnd is full,
     * the peer's window otherwise, except one chunk as a zero-window probe when nothing is in flight.
     */
    private int newDataAllowance(int maxPayload) {
        if (inFlightBytes >= cwnd || nextTsn - cumAck > MAX_OUTSTANDING_CHUNKS) {
            return 0;
        }
        if (inFlightBytes == 0) {
            return maxPayload; // zero window probe, or simply the first chunk
        }
        if (peerRwnd <= 0) {
            return 0;
        }
        return (int) Math.min(maxPayload, peerRwnd);
    }

    /**
     * Next chunk to put in a packet with {@code room} bytes left: a retransmission if one is due
     * (lowest TSN first), else new data from the send queue. Null when nothing may be sent.
     */
    public SentChunk nextChunk(long now, int room) {
        while (!toRetransmit.isEmpty()) {
            Long tsn = toRetransmit.first();
            SentChunk c = tsn <= cumAck ? null : at(tsn);
            if (c == null || c.tsn != tsn || c.state != TO_RETRANSMIT) {
                toRetransmit.pollFirst();
                continue;
            }
            boolean withinCwnd = inFlightBytes < cwnd;
            if ((!withinCwnd && c.chunkBytes > fastRetransmitBudget) || c.chunkBytes > room) {
                return null; // retransmissions go first: no new data either
            }
            if (!withinCwnd) {
                fastRetransmitBudget -= c.chunkBytes;
            }
            toRetransmit.pollFirst();
            c.state = IN_FLIGHT;
            c.nacks = 0;
            c.retransmits++;
            retransmittedChunks++;
            c.retransmitted = true;
            c.sentAt = now;
            c.sendOrder = transmissions++;
            inFlightBytes += c.chunkBytes;
            inFlightPayload += c.fragment.payloadLength();
            peerRwnd -= c.fragment.payloadLength();
            return c;
        }
        fastRetransmitBudget = 0;
        // The chunk's padding to 4 bytes (RFC 9260 §3.2) counts against the room, so the payload
        // allowance is rounded down: with an odd path budget (DTLS/GCM leaves 1163) a full-size
        // fragment would otherwise overshoot the packet by up to 3 bytes.
        int maxPayload = (room - DATA_CHUNK_HEADER) & ~3;
        if (maxPayload <= 0 || !sendQueue.hasDataToSend()) {
            return null;
        }
        int allowance = newDataAllowance(maxPayload);
        // Avoid silly-window fragments: wait for the window unless this is all that is left.
        if (allowance <= 0 || (allowance < maxPayload && allowance < 256 && inFlightBytes > 0)) {
            return null;
        }
        // A message that would fit a packet of its own is not split to fill the end of this one: a
        // lost packet then costs one message, not two (usrsctp behaves the same).
        int remaining = sendQueue.nextMessageRemaining();
        if (remaining > maxPayload && remaining <= ((mtu - 12 - DATA_CHUNK_HEADER) & ~3) && room < mtu - 12) {
            return null;
        }
        Fragment f = sendQueue.produce(now, allowance);
        if (f == null) {
            return null;
        }
        long tsn = nextTsn++;
        ensureCapacity();
        SentChunk c = new SentChunk(tsn, f, now);
        c.sendOrder = transmissions++;
        ring[(int) (tsn & mask)] = c;
        OutgoingMessage m = f.message();
        if (f.beginning()) {
            m.firstTsn = tsn;
        }
        m.lastTsn = tsn;
        inFlightBytes += c.chunkBytes;
        inFlightPayload += f.payloadLength();
        peerRwnd -= f.payloadLength();
        return c;
    }

    private void ensureCapacity() {
        long count = nextTsn - cumAck;
        if (count < ring.length) {
            return;
        }
        SentChunk[] bigger = new SentChunk[ring.length * 2];
        int biggerMask = bigger.length - 1;
        for (long t = cumAck + 1; t < nextTsn - 1; t++) {
            bigger[(int) (t & biggerMask)] = ring[(int) (t & mask)];
        }
        ring = bigger;
        mask = biggerMask;
    }

    /** Result of {@link #handleSack}. */
    public enum SackResult { IGNORED, NO_PROGRESS, ACKED_NEW_DATA }

    /**
     * Processes a SACK (RFC 9260 §6.2.1, §7.2).
     * @param gaps gap ack block offsets [start0, end0, start1, end1...] relative to the cumulative TSN
     */
    public SackResult handleSack(long cumulativeTsnAckWire, long advertisedRwnd, int[] gaps, int gapCount,
            long now) {
        return handleSack(cumulativeTsnAckWire, advertisedRwnd, gaps, gapCount, NO_DUPLICATES, 0, now);
    }

    private static final long[] NO_DUPLICATES = new long[0];

    /** Current fast-retransmit threshold in miss indications (3 unless the path was seen to reorder). */
    public int nackThreshold() {
        return nackThreshold;
    }

    /**
     * Outstanding chunks SACK processing has looked at in gap blocks and holes, since creation: a
     * SACK costs the TSNs it newly acknowledges plus the holes below them, not the whole window.
     */
    long sackVisits() {
        return sackVisits;
    }

    /** Recovery episodes whose window reduction was undone because all its retransmissions were spurious. */
    public long spuriousRecoveriesUndone() {
        return spuriousRecoveriesUndone;
    }

    /**
     * Processes a SACK (RFC 9260 §6.2.1, §7.2) including its duplicate TSN reports (wire form).
     * @param gaps gap ack block offsets [start0, end0, start1, end1...] relative to the cumulative TSN
     */
    public SackResult handleSack(long cumulativeTsnAckWire, long advertisedRwnd, int[] gaps, int gapCount,
            long[] duplicateTsns, int duplicateCount, long now) {
        long newCum = SerialNumbers.unwrap32(cumAck, cumulativeTsnAckWire);
        if (newCum < cumAck) {
            return SackResult.IGNORED; // §6.2.1 D i: an older SACK
        }
        if (newCum >= nextTsn) {
            return SackResult.IGNORED; // acknowledges TSNs never sent: protocol violation, ignore
        }
        boolean fullyUtilized = inFlightBytes + mtu >= cwnd;
        long bytesAckedCum = 0;
        long highestNewlyAcked = cumAck;
        long latestAckedSendOrder = -1; // of the chunks this SACK newly acknowledges
        long rttSample = -1;
        for (long t = cumAck + 1; t <= newCum; t++) {
            int i = (int) (t & mask);
            SentChunk c = ring[i];
            ring[i] = null;
            if (c.state == IN_FLIGHT) {
                inFlightBytes -= c.chunkBytes;
                inFlightPayload -= c.fragment.payloadLength();
                bytesAckedCum += c.chunkBytes;
                if (!c.retransmitted) {
                    rttSample = now - c.sentAt;
                }
                latestAckedSendOrder = Math.max(latestAckedSendOrder, c.sendOrder);
                highestNewlyAcked = t;
            } else if (c.state == TO_RETRANSMIT) {
                highestNewlyAcked = t;
            }
        }
        boolean cumAdvanced = newCum > cumAck;
        cumAck = newCum;
        if (advancedPeerAckPoint < cumAck) {
            advancedPeerAckPoint = cumAck;
        }
        ackedRanges.removeThrough(cumAck);
        for (int g = 0; g < gapCount; g++) {
            long start = Math.max(cumAck + gaps[2 * g], cumAck + 1);
            long end = Math.min(cumAck + gaps[2 * g + 1], nextTsn - 1);
            if (start > end) {
                continue;
            }
            // Only TSNs no earlier SACK reported are visited: the ranges already acked are skipped whole.
            long t = start;
            int r = ackedRanges.firstEndingAtOrAbove(start);
            while (t <= end) {
                if (r < ackedRanges.count() && ackedRanges.start(r) <= t) {
                    t = ackedRanges.end(r) + 1;
                    r++;
                    continue;
                }
                long stop = r < ackedRanges.count() ? Math.min(end, ackedRanges.start(r) - 1) : end;
                for (; t <= stop; t++) {
                    sackVisits++;
                    SentChunk c = ring[(int) (t & mask)];
                    if (c == null || c.state == ACKED || c.state == ABANDONED) {
                        continue;
                    }
                    if (c.state == IN_FLIGHT) {
                        inFlightBytes -= c.chunkBytes;
                        inFlightPayload -= c.fragment.payloadLength();
                        if (!c.retransmitted && t > highestNewlyAcked) {
                            rttSample = now - c.sentAt;
                        }
                        latestAckedSendOrder = Math.max(latestAckedSendOrder, c.sendOrder);
                    }
                    c.state = ACKED;
                    highestNewlyAcked = Math.max(highestNewlyAcked, t);
                }
            }
            ackedRanges.add(start, end);
        }
        if (rttSample >= 0) {
            rto.observeRtt(rttSample);
            if (queueDelay != null) {
                queueDelay.onRttSample(rttSample, now);
            }
        }
        if (undoPossible && duplicateCount > 0) {
            for (int i = 0; i < duplicateCount; i++) {
                if (episodeRetransmits.remove(SerialNumbers.unwrap32(cumAck, duplicateTsns[i]))) {
                    nackThreshold = Math.min(MAX_NACK_THRESHOLD, nackThreshold * 2);
                }
            }
            if (episodeRetransmits.isEmpty()) {
                undoPossible = false;
                spuriousRecoveriesUndone++;
                cwnd = Math.max(cwnd, cwndBeforeRecovery);
                ssthresh = Math.max(ssthresh, ssthreshBeforeRecovery);
                fastRecovery = false;
            }
        }
        // §7.2.4 with HTNA: chunks below the highest newly acked TSN that are still missing get a miss
        // indication; the third one triggers a fast retransmit.
        boolean enterFastRecovery = false;
        long highestOutstanding = nextTsn - 1;
        if (gapCount > 0) {
            // A raised threshold never exceeds a quarter of what is outstanding, so a small window
            // still reaches it (otherwise every loss would wait for T3).
            int threshold = (int) Math.max(3, Math.min(nackThreshold, (nextTsn - 1 - cumAck) / 4));
            // Only the holes between acked ranges can be missing: the ranges themselves are skipped.
            long t = cumAck + 1;
            int r = 0;
            while (t < highestNewlyAcked) {
                if (r < ackedRanges.count() && ackedRanges.start(r) <= t) {
                    t = Math.max(t, ackedRanges.end(r) + 1);
                    r++;
                    continue;
                }
                long holeEnd = r < ackedRanges.count() ? ackedRanges.start(r) - 1 : Long.MAX_VALUE;
                long stop = Math.min(holeEnd, highestNewlyAcked - 1);
                for (; t <= stop; t++) {
                    sackVisits++;
                    if (missIndication(ring[(int) (t & mask)], threshold, latestAckedSendOrder, now, enterFastRecovery)) {
                        enterFastRecovery = true;
                    }
                }
            }
        }
        if (fastRecovery && cumAck >= fastRecoveryExit) {
            fastRecovery = false;
        }
        if (enterFastRecovery) {
            fastRetransmitBudget = mtu - 12;
            if (!fastRecovery) {
                fastRecoveries++;
                fastRecovery = true;
                fastRecoveryExit = highestOutstanding;
                ssthresh = Math.max(cwnd / 2, 4L * mtu);
                cwnd = ssthresh;
                partialBytesAcked = 0;
            }
        }
        // §7.2.1 / §7.2.2: grow cwnd only when it was fully used, the cumulative ack moved and we are
        // not in fast recovery; with a QueueDelayLimit, also only while SRTT shows no standing queue.
        boolean queueBuilt = queueDelay != null && rto.hasMeasurement() && queueDelay.queueBuilt(rto.srtt());
        if (queueBuilt && cwnd <= ssthresh && !fastRecovery) {
            ssthresh = Math.max(cwnd - 1, 4L * mtu); // HyStart++ style: the delay ends slow start
        }
        if (queueBuilt && !fastRecovery) {
            cwnd = queueDelay.shrink(cwnd, rto.srtt(), mtu, now);
            if (queueDelay.takeRebase()) {
                ssthresh = Math.max(ssthresh, peerRwnd); // a new path: slow start probes it again
            }
        }
        if (cumAdvanced && fullyUtilized && !fastRecovery && !queueBuilt) {
            if (cwnd <= ssthresh) {
                cwnd += Math.min(bytesAckedCum, mtu);
            } else {
                partialBytesAcked += bytesAckedCum;
                if (partialBytesAcked >= cwnd) {
                    partialBytesAcked -= cwnd;
                    cwnd += mtu;
                }
            }
        }
        if (inFlightBytes == 0) {
            partialBytesAcked = 0;
        }
        // §6.2.1 D iv: rwnd = a_rwnd - bytes outstanding.
        peerRwnd = advertisedRwnd - inFlightPayload;
        advanceAckPoint();
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnPending = true; // RFC 3758 §3.5 C3
        }
        return cumAdvanced ? SackResult.ACKED_NEW_DATA : SackResult.NO_PROGRESS;
    }

    /**
     * One miss indication for a chunk in a hole below the highest newly acked TSN (§7.2.4 with HTNA).
     * A chunk already fast-retransmitted counts only SACKs that acknowledge a chunk sent after its
     * retransmission: reaching the threshold that way, the retransmission itself was lost, and it
     * goes again (RFC 9260 alone would leave it to T3-rtx).
     * @param latestAckedSendOrder the latest transmission among the chunks this SACK newly acknowledges
     * @param episodeStarted whether this SACK already started a fast retransmit episode
     * @return true when the chunk was marked for fast retransmit
     */
    private boolean missIndication(SentChunk c, int threshold, long latestAckedSendOrder, long now,
            boolean episodeStarted) {
        if (c == null || c.state != IN_FLIGHT) {
            return false;
        }
        if (c.fastRetransmitted && latestAckedSendOrder <= c.sendOrder) {
            return false; // nothing sent after the retransmission was acknowledged by this SACK
        }
        if (++c.nacks < threshold) {
            return false;
        }
        boolean lostAgain = c.fastRetransmitted;
        c.fastRetransmitted = true;
        if (!markForRetransmission(c, now)) {
            return false;
        }
        if (!fastRecovery && !episodeStarted) {
            episodeRetransmits.clear();
            undoPossible = true;
            cwndBeforeRecovery = cwnd;
            ssthreshBeforeRecovery = ssthresh;
        }
        if (lostAgain) {
            lostRetransmissions++;
            undoPossible = false; // a retransmission that was lost was no reordering
            episodeRetransmits.clear();
        }
        if (undoPossible) {
            episodeRetransmits.add(c.tsn);
        }
        return true;
    }

    /**
     * Marks a chunk for retransmission, or abandons its message when partial reliability says so
     * (RFC 3758 §3.5 A1/A2). @return true when it will be retransmitted
     */
    private boolean markForRetransmission(SentChunk c, long now) {
        if (c.state == IN_FLIGHT) {
            inFlightBytes -= c.chunkBytes;
            inFlightPayload -= c.fragment.payloadLength();
        }
        OutgoingMessage m = c.fragment.message();
        if (m.abandoned || (partialReliability && m.hasPartialReliability()
                && ((m.maxRetransmits >= 0 && c.retransmits >= m.maxRetransmits) || now >= m.expiresAt))) {
            c.state = TO_RETRANSMIT; // so abandonMessage sees it as not in flight
            abandonMessage(m);
            return false;
        }
        c.state = TO_RETRANSMIT;
        toRetransmit.add(c.tsn);
        return true;
    }

    private void abandonMessage(OutgoingMessage m) {
        if (!m.abandoned) {
            abandonedMessages++;
        }
        for (long t = Math.max(m.firstTsn, cumAck + 1); t <= m.lastTsn; t++) {
            SentChunk c = ring[(int) (t & mask)];
            if (c == null || c.fragment.message() != m || c.state == ABANDONED) {
                continue;
            }
            if (c.state == IN_FLIGHT) {
                inFlightBytes -= c.chunkBytes;
                inFlightPayload -= c.fragment.payloadLength();
            }
            c.state = ABANDONED;
        }
        sendQueue.abandon(m);
        advanceAckPoint();
        if (advancedPeerAckPoint > lastForwardTsnSent) {
            forwardTsnPending = true;
        }
    }

    /** RFC 3758 §3.5 C2: move the advanced peer ack point over abandoned (or acked) chunks. */
    private void advanceAckPoint() {
        while (advancedPeerAckPoint < nextTsn - 1) {
            SentChunk c = at(advancedPeerAckPoint + 1);
            if (c == null || (c.state != ABANDONED && c.state != ACKED)) {
                break;
            }
            advancedPeerAckPoint++;
        }
        // Acked chunks alone never need a FORWARD TSN: back off to the last abandoned one.
        while (advancedPeerAckPoint > cumAck && at(advancedPeerAckPoint).state != ABANDONED) {
            advancedPeerAckPoint--;
        }
    }

    /**
     * T3-rtx expired (RFC 9260 §6.3.3 E1-E3, §7.2.3): every chunk in flight is marked for
     * retransmission, cwnd collapses to one MTU, the RTO backs off.
     */
    public void handleT3Expiry(long now) {
        t3Expiries++;
        undoPossible = false;
        episodeRetransmits.clear();
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        fastRetransmitBudget = 0;
        rto.backOff();
        for (long t = cumAck + 1; t < nextTsn; t++) {
            SentChunk c = ring[(int) (t & mask)];
            if (c != null && c.state == IN_FLIGHT) {
                markForRetransmission(c, now);
            }
        }
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnPending = true;
        }
    }

    /** True when a FORWARD TSN should go in the next packet. */
    public boolean isForwardTsnPending() {
        return forwardTsnPending && advancedPeerAckPoint > cumAck;
    }

    /** Builds the FORWARD TSN content (RFC 3758 §3.2) and clears the pending flag. */
    public ForwardTsnPlan takeForwardTsn() {
        forwardTsnPending = false;
        lastForwardTsnSent = advancedPeerAckPoint;
        TreeMap<Integer, Integer> skipped = new TreeMap<>();
        for (long t = cumAck + 1; t <= advancedPeerAckPoint; t++) {
            SentChunk c = at(t);
            if (c != null && c.state == ABANDONED && !c.fragment.unordered()) {
                Integer prev = skipped.get(c.fragment.streamId());
                if (prev == null || SerialNumbers.lessThan16(prev, c.fragment.ssn())) {
                    skipped.put(c.fragment.streamId(), c.fragment.ssn());
                }
            }
        }
        int[] ids = new int[skipped.size()];
        int[] ssns = new int[skipped.size()];
        int i = 0;
        for (var e : skipped.entrySet()) {
            ids[i] = e.getKey();
            ssns[i] = e.getValue();
            i++;
        }
        return new ForwardTsnPlan(SerialNumbers.wrap32(advancedPeerAckPoint), ids, ssns);
    }
}
