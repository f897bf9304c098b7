package dev.purertc.sctp.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DataTrackerTest {
    @Test
    void buildsGapBlocksAndDuplicatesAcrossTheTsnWrap() {
        DataTracker t = new DataTracker(0xFFFF_FFFEL); // cumulative starts at 0xFFFFFFFD
        assertEquals(DataTracker.Observation.NEW, t.observe(t.unwrap(0xFFFF_FFFEL)));
        assertEquals(0xFFFF_FFFEL, t.cumulativeTsnAck());
        // Receive 0 and 1 (after the wrap), 4, but not 0xFFFFFFFF, 2, 3.
        t.observe(t.unwrap(0));
        t.observe(t.unwrap(1));
        t.observe(t.unwrap(4));
        assertEquals(0xFFFF_FFFEL, t.cumulativeTsnAck());
        int[] gaps = new int[2 * DataTracker.MAX_GAP_BLOCKS];
        int n = t.gapAckBlocks(gaps);
        assertEquals(2, n);
        assertArrayEquals(new int[] {2, 3, 6, 6}, Arrays.copyOf(gaps, 4));
        assertEquals(DataTracker.Observation.DUPLICATE, t.observe(t.unwrap(1)));
        assertArrayEquals(new long[] {1}, t.duplicateTsns());
        t.observe(t.unwrap(0xFFFF_FFFFL));
        assertEquals(1, t.cumulativeTsnAck());
        assertEquals(1, t.gapAckBlocks(gaps));
        assertArrayEquals(new int[] {3, 3}, Arrays.copyOf(gaps, 2));
        t.sackSent();
        assertArrayEquals(new long[0], t.duplicateTsns());
    }

    @Test
    void acksEverySecondPacketAndAtOnceOnGaps() {
        DataTracker t = new DataTracker(100);
        t.observe(100);
        assertFalse(t.packetEnded());
        t.observe(101);
        assertTrue(t.packetEnded());
        t.sackSent();
        t.observe(103); // 102 missing
        assertTrue(t.packetEnded());
        t.sackSent();
        assertTrue(t.hasGaps());
    }

    @Test
    void refusesTsnsBeyondTheTrackedWindow() {
        DataTracker t = new DataTracker(10);
        assertEquals(DataTracker.Observation.OUT_OF_WINDOW, t.observe(9 + DataTracker.MAX_TSN_AHEAD + 1));
        assertEquals(DataTracker.Observation.NEW, t.observe(9 + DataTracker.MAX_TSN_AHEAD));
        assertFalse(t.isReceived(10));
        assertTrue(t.isReceived(9 + DataTracker.MAX_TSN_AHEAD));
    }

    @Test
    void forwardTsnMovesTheCumulativePointAndAbsorbsReceivedTsns() {
        DataTracker t = new DataTracker(1);
        t.observe(1);
        t.observe(5);
        t.observe(6);
        assertTrue(t.forwardTo(4));
        assertEquals(6, t.cumulativeTsnAck());
        assertFalse(t.hasGaps());
        assertFalse(t.forwardTo(3));
    }

    @Test
    void holdsTheGapRingOnlyWhileAGapIsOpen() {
        DataTracker t = new DataTracker(1000);
        for (long tsn = 1000; tsn < 1100; tsn++) {
            assertEquals(DataTracker.Observation.NEW, t.observe(tsn));
        }
        assertFalse(t.holdsRing(), "in-order delivery needs no ring");
        assertEquals(1099, t.cumulativeTsnAck());
        assertEquals(DataTracker.Observation.NEW, t.observe(1102));
        assertTrue(t.holdsRing());
        int[] gaps = new int[2 * DataTracker.MAX_GAP_BLOCKS];
        assertEquals(1, t.gapAckBlocks(gaps));
        assertArrayEquals(new int[] {3, 3}, Arrays.copyOf(gaps, 2));
        assertEquals(DataTracker.Observation.DUPLICATE, t.observe(1102));
        t.observe(1100);
        assertTrue(t.holdsRing(), "1101 is still missing");
        t.observe(1101);
        assertEquals(1102, t.cumulativeTsnAck());
        assertFalse(t.holdsRing(), "the gap closed");
        assertEquals(0, t.gapAckBlocks(gaps));
        assertFalse(t.isReceived(1103));
        assertTrue(t.isReceived(1102));
        // A gap closed by FORWARD TSN (RFC 3758 §3.6) releases it too, and a later gap works as before.
        t.observe(1105);
        assertTrue(t.holdsRing());
        assertTrue(t.forwardTo(1104));
        assertEquals(1105, t.cumulativeTsnAck());
        assertFalse(t.holdsRing());
        t.observe(1107);
        assertEquals(1, t.gapAckBlocks(gaps));
        assertArrayEquals(new int[] {2, 2}, Arrays.copyOf(gaps, 2));
        assertEquals(DataTracker.Observation.NEW, t.observe(1106));
        assertEquals(1107, t.cumulativeTsnAck());
        assertFalse(t.holdsRing());
    }
}
