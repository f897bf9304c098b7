package dev.purertc.sctp.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetransmissionQueueTest {
    private static final int MTU = 1200;
    private static final long MS = 1_000_000L;

    private final SendQueue sendQueue = new SendQueue();
    private final RetransmissionTimeout rto = new RetransmissionTimeout(500 * MS, 400 * MS, 60_000 * MS);

    private RetransmissionQueue queue(long cwnd) {
        return new RetransmissionQueue(sendQueue, rto, MTU, 1000, cwnd, 1 << 20);
    }

    private void queueMessages(int count, int size, int maxRetransmits) {
        for (int i = 0; i < count; i++) {
            sendQueue.add(new OutgoingMessage(1, 53, new byte[size], false, maxRetransmits, Long.MAX_VALUE));
        }
    }

    private List<RetransmissionQueue.SentChunk> sendAll(RetransmissionQueue q, long now) {
        List<RetransmissionQueue.SentChunk> sent = new ArrayList<>();
        RetransmissionQueue.SentChunk c;
        while ((c = q.nextChunk(now, MTU - 12)) != null) {
            sent.add(c);
        }
        return sent;
    }

    @Test
    void cwndLimitsNewDataAndSlowStartGrowsItByOneMtuPerSack() {
        RetransmissionQueue q = queue(4 * MTU);
        queueMessages(10, 1000, -1);
        List<RetransmissionQueue.SentChunk> sent = sendAll(q, 0);
        assertEquals(5, sent.size()); // 4 x 1016 bytes < 4800 allows a fifth (RFC 9260 §6.1 may exceed by < 1 MTU)
        assertEquals(1000, sent.get(0).tsn());
        assertEquals(RetransmissionQueue.SackResult.ACKED_NEW_DATA, q.handleSack(1001, 1 << 20, new int[0], 0, 20 * MS));
        assertEquals(5 * MTU, q.cwnd());
        assertEquals(20 * MS, rto.srtt());
        assertEquals(400 * MS, rto.rto()); // 20 ms + 4 * 10 ms, clamped to RTO.Min
    }

    /**
     * Slow start, then a SACK whose RTT sample (20 ms against a 1 ms base) raises SRTT to 3.375 ms: with a
     * {@link QueueDelayLimit} the window stops growing and gives back one MTU, down to the 4-MTU floor, and
     * slow start will end below the window where the queue showed (ssthresh); without one the window grows
     * as RFC 9260 §7.2.1 says.
     */
    private RetransmissionQueue afterAQueueBuilds(QueueDelayLimit limit) {
        RetransmissionQueue q = new RetransmissionQueue(sendQueue, rto, MTU, 1000, 4 * MTU, 1 << 20, true, limit);
        queueMessages(20, 1000, -1);
        assertEquals(5, sendAll(q, 0).size()); // TSN 1000-1004
        q.handleSack(1000, 1 << 20, new int[0], 0, MS);
        assertEquals(4 * MTU + 1016, q.cwnd()); // slow start: one acked chunk's bytes
        assertEquals(2, sendAll(q, MS).size()); // 6 x 1016 bytes in flight of 5816
        q.handleSack(1001, 1 << 20, new int[0], 0, 20 * MS);
        assertEquals(3_375_000, rto.srtt());
        return q;
    }

    @Test
    void withoutAQueueDelayLimitTheWindowGrowsWhateverTheRoundTrip() {
        RetransmissionQueue q = afterAQueueBuilds(null);
        assertEquals(4 * MTU + 2 * 1016, q.cwnd());
        assertEquals(1 << 20, q.ssthresh());
    }

    @Test
    void withAQueueDelayLimitAStandingQueueStopsGrowthShrinksTheWindowAndLowersSsthresh() {
        QueueDelayLimit limit = new QueueDelayLimit();
        RetransmissionQueue q = afterAQueueBuilds(limit);
        assertEquals(4 * MTU, q.cwnd());
        assertEquals(4 * MTU + 1016 - 1, q.ssthresh());
        assertEquals(MS, limit.minRtt());
    }

    @Test
    void threeMissIndicationsTriggerOneFastRetransmitAndHalveCwnd() {
        RetransmissionQueue q = queue(20 * MTU);
        queueMessages(10, 1000, -1);
        sendAll(q, 0);
        long cwnd = q.cwnd();
        // TSN 1000 lost: SACKs report 1001, 1001-1002, 1001-1003 above cumulative 999.
        q.handleSack(999, 1 << 20, new int[] {2, 2}, 1, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 3}, 1, MS);
        assertFalse(q.isInFastRecovery());
        q.handleSack(999, 1 << 20, new int[] {2, 4}, 1, MS);
        assertTrue(q.isInFastRecovery());
        assertEquals(Math.max(cwnd / 2, 4L * MTU), q.cwnd());
        RetransmissionQueue.SentChunk again = q.nextChunk(2 * MS, MTU - 12);
        assertEquals(1000, again.tsn());
        assertTrue(again.isRetransmission());
    }

    @Test
    void aLostFastRetransmissionGoesAgainOnceChunksSentAfterItAreAckedWithoutWaitingForT3() {
        RetransmissionQueue q = queue(20 * MTU);
        queueMessages(10, 1000, -1);
        assertEquals(10, sendAll(q, 0).size()); // TSN 1000-1009
        // TSN 1000 lost: three miss indications, fast retransmit.
        q.handleSack(999, 1 << 20, new int[] {2, 2}, 1, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 3}, 1, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 4}, 1, MS);
        long cwnd = q.cwnd();
        assertEquals(10 * MTU, cwnd); // 20 MTUs halved
        assertEquals(1000, q.nextChunk(2 * MS, MTU - 12).tsn());
        queueMessages(5, 1000, -1);
        List<RetransmissionQueue.SentChunk> later = sendAll(q, 2 * MS);
        assertEquals(List.of(1010L, 1011L, 1012L, 1013L, 1014L), later.stream().map(RetransmissionQueue.SentChunk::tsn).toList());

        // Chunks sent before the retransmission are acked: no evidence against the retransmission.
        q.handleSack(999, 1 << 20, new int[] {2, 10}, 1, 3 * MS);
        q.handleSack(999, 1 << 20, new int[] {2, 10}, 1, 3 * MS);
        q.handleSack(999, 1 << 20, new int[] {2, 10}, 1, 3 * MS);
        assertEquals(0, q.lostRetransmissions());
        assertNull(q.nextChunk(3 * MS, MTU - 12));

        // The retransmission was lost too: three SACKs acknowledge chunks sent after it.
        q.handleSack(999, 1 << 20, new int[] {2, 11}, 1, 4 * MS);
        q.handleSack(999, 1 << 20, new int[] {2, 12}, 1, 4 * MS);
        assertEquals(0, q.lostRetransmissions());
        q.handleSack(999, 1 << 20, new int[] {2, 13}, 1, 4 * MS);
        assertEquals(1, q.lostRetransmissions());
        RetransmissionQueue.SentChunk again = q.nextChunk(4 * MS, MTU - 12);
        assertEquals(1000, again.tsn());
        assertTrue(again.isRetransmission());
        assertEquals(2, q.retransmittedChunks());
        assertEquals(0, q.t3Expiries());
        assertEquals(1, q.fastRecoveries()); // the same episode: cwnd is not halved twice
        assertEquals(cwnd, q.cwnd());

        assertEquals(RetransmissionQueue.SackResult.ACKED_NEW_DATA, q.handleSack(1014, 1 << 20, new int[0], 0, 5 * MS));
        assertFalse(q.hasOutstanding());
        assertFalse(q.isInFastRecovery());
    }

    @Test
    void aRetransmissionReportedAsDuplicateUndoesTheReductionAndRaisesTheThreshold() {
        RetransmissionQueue q = queue(20 * MTU);
        queueMessages(40, 1000, -1);
        sendAll(q, 0);
        long cwnd = q.cwnd();
        q.handleSack(999, 1 << 20, new int[] {2, 2}, 1, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 3}, 1, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 4}, 1, MS);
        assertTrue(q.cwnd() < cwnd);
        assertEquals(1000, q.nextChunk(2 * MS, MTU - 12).tsn());
        // The original was only late: the receiver reports our retransmission of 1000 as a duplicate.
        q.handleSack(1004, 1 << 20, new int[0], 0, new long[] {1000}, 1, 3 * MS);
        assertEquals(1, q.spuriousRecoveriesUndone());
        assertFalse(q.isInFastRecovery());
        assertEquals(cwnd + MTU, q.cwnd()); // restored, then slow start credits this SACK's ack
        assertEquals(6, q.nackThreshold());
    }

    @Test
    void t3ExpiryCollapsesCwndAndRetransmitsEverything() {
        RetransmissionQueue q = queue(20 * MTU);
        queueMessages(3, 1000, -1);
        sendAll(q, 0);
        q.handleT3Expiry(500 * MS);
        assertEquals(MTU, q.cwnd());
        assertEquals(1000 * MS, rto.rto());
        assertEquals(1000, q.nextChunk(500 * MS, MTU - 12).tsn());
        // 1016 bytes in flight is below the 1200-byte cwnd, so one more may go (§6.1 B), then no more.
        assertEquals(1001, q.nextChunk(500 * MS, MTU - 12).tsn());
        assertNull(q.nextChunk(500 * MS, MTU - 12));
    }

    @Test
    void exhaustedRetransmissionsAbandonTheMessageAndAskForForwardTsn() {
        RetransmissionQueue q = queue(20 * MTU);
        queueMessages(1, 3000, 0); // three fragments, no retransmission allowed
        queueMessages(1, 100, -1);
        assertEquals(4, sendAll(q, 0).size());
        q.handleT3Expiry(500 * MS);
        assertEquals(1, q.abandonedMessages());
        assertTrue(q.isForwardTsnPending());
        ForwardTsnPlan plan = q.takeForwardTsn();
        assertEquals(1002, plan.newCumulativeTsn());
        assertEquals(1, plan.streamIds()[0]);
        assertEquals(0, plan.ssns()[0]);
        // Only the reliable message is retransmitted.
        RetransmissionQueue.SentChunk c = q.nextChunk(500 * MS, MTU - 12);
        assertEquals(1003, c.tsn());
    }

    @Test
    void withoutPeerForwardTsnSupportNothingIsAbandoned() {
        RetransmissionQueue q = new RetransmissionQueue(sendQueue, rto, MTU, 1000, 20 * MTU, 1 << 20, false);
        queueMessages(1, 500, 0);
        sendAll(q, 0);
        q.handleT3Expiry(500 * MS);
        assertEquals(0, q.abandonedMessages());
        assertFalse(q.isForwardTsnPending());
        assertEquals(1000, q.nextChunk(500 * MS, MTU - 12).tsn());
    }

    @Test
    void sackWithGapsOverTenThousandOutstandingChunksVisitsOnlyWhatChanged() {
        RetransmissionQueue q = new RetransmissionQueue(sendQueue, rto, MTU, 1000, 1L << 30, 1L << 30);
        queueMessages(10_000, 100, -1);
        assertEquals(10_000, sendAll(q, 0).size());
        // TSN 1000 is lost; SACK i reports 1001..1000+i above cumulative 999, as a receiver repeats its
        // one growing gap block. Each SACK newly acks one TSN and leaves one hole below it.
        for (int i = 1; i < 10_000; i++) {
            q.handleSack(999, 1L << 30, new int[] {2, i + 1}, 1, MS);
        }
        assertEquals(2L * 9_999, q.sackVisits());
        assertTrue(q.isInFastRecovery());
        assertEquals(0, q.inFlightBytes()); // 1000 awaits retransmission, everything else is acked
        RetransmissionQueue.SentChunk again = q.nextChunk(2 * MS, MTU - 12);
        assertEquals(1000, again.tsn());
        assertTrue(again.isRetransmission());
        assertNull(q.nextChunk(2 * MS, MTU - 12));
        assertEquals(RetransmissionQueue.SackResult.ACKED_NEW_DATA,
                q.handleSack(10_999, 1L << 30, new int[0], 0, 3 * MS));
        assertTrue(q.isEmpty());
        assertEquals(0, q.inFlightBytes());
    }

    @Test
    void holesBetweenSeveralGapBlocksEachCollectMissIndications() {
        RetransmissionQueue q = queue(40 * MTU);
        queueMessages(20, 1000, -1);
        sendAll(q, 0);
        // 1000 and 1004 lost; blocks 1001-1003 and 1005..(1005+k) grow over three SACKs.
        q.handleSack(999, 1 << 20, new int[] {2, 4, 6, 6}, 2, MS);
        q.handleSack(999, 1 << 20, new int[] {2, 4, 6, 7}, 2, MS);
        assertFalse(q.isInFastRecovery());
        q.handleSack(999, 1 << 20, new int[] {2, 4, 6, 8}, 2, MS);
        assertTrue(q.isInFastRecovery());
        assertEquals(1000, q.nextChunk(2 * MS, MTU - 12).tsn());
        assertEquals(1004, q.nextChunk(2 * MS, MTU - 12).tsn());
        // The cumulative ack passes the first block: the second stays known, 1004 is the one hole left.
        q.handleSack(1003, 1 << 20, new int[] {2, 4}, 1, 3 * MS);
        assertEquals(1003, q.cumulativeTsnAcked());
        q.handleSack(1007, 1 << 20, new int[0], 0, 4 * MS);
        assertEquals(1007, q.cumulativeTsnAcked());
    }

    @Test
    void zeroWindowStillAllowsOneProbe() {
        RetransmissionQueue q = new RetransmissionQueue(sendQueue, rto, MTU, 1, 10 * MTU, 0);
        queueMessages(3, 500, -1);
        assertEquals(1, sendAll(q, 0).size());
    }
}
