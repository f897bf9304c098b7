package dev.purertc.sctp.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueDelayLimitTest {
    private static final long MS = 1_000_000L;
    private static final long US = 1_000L;
    private static final long S = 1_000_000_000L;
    private static final int MTU = 1200;

    @Test
    void theBaseRoundTripIsTheSmallestSampleOfTheLastTwoWindows() {
        QueueDelayLimit limit = new QueueDelayLimit();
        assertEquals(-1, limit.minRtt());
        limit.onRttSample(5 * MS, 0);
        limit.onRttSample(2 * MS, S);
        limit.onRttSample(3 * MS, 2 * S);
        assertEquals(2 * MS, limit.minRtt());
        limit.onRttSample(9 * MS, 10 * S); // a new window: the last one's minimum still counts
        assertEquals(2 * MS, limit.minRtt());
        limit.onRttSample(8 * MS, 20 * S); // two windows on: the path's base round trip grew
        assertEquals(8 * MS, limit.minRtt());
        limit.onRttSample(-1, 21 * S); // no sample
        assertEquals(8 * MS, limit.minRtt());
    }

    @Test
    void aQueueIsBuiltWhenSrttExceedsTheBaseByMoreThanTheBaseOrTheOneMillisecondFloor() {
        QueueDelayLimit slow = new QueueDelayLimit();
        slow.onRttSample(2 * MS, 0);
        assertFalse(slow.queueBuilt(4 * MS), "a queue of exactly one base round trip is allowed");
        assertTrue(slow.queueBuilt(4 * MS + 1));
        QueueDelayLimit fast = new QueueDelayLimit();
        fast.onRttSample(200 * US, 0);
        assertFalse(fast.queueBuilt(1200 * US), "below a millisecond of queue is scheduling jitter");
        assertTrue(fast.queueBuilt(1200 * US + 1));
        assertFalse(new QueueDelayLimit().queueBuilt(50 * MS), "no base round trip yet");
    }

    @Test
    void theWindowShrinksByOneMtuPerRoundTripWhileTheQueueExceedsTwiceTheLimitButNotBelowFourMtus() {
        QueueDelayLimit limit = new QueueDelayLimit();
        limit.onRttSample(200 * US, 0);
        long srtt = 3 * MS; // a queue of 2.8 ms, more than twice the 1 ms floor
        assertEquals(9 * MTU, limit.shrink(10 * MTU, srtt, MTU, 10 * MS));
        assertEquals(10 * MTU, limit.shrink(10 * MTU, srtt, MTU, 12 * MS), "once per SRTT");
        assertEquals(9 * MTU, limit.shrink(10 * MTU, srtt, MTU, 13 * MS));
        assertEquals(4 * MTU, limit.shrink(4 * MTU, srtt, MTU, 20 * MS), "never below 4 MTUs");
        assertEquals(4 * MTU, limit.shrink(4 * MTU + 100, srtt, MTU, 30 * MS));
        assertEquals(10 * MTU, limit.shrink(10 * MTU, 2 * MS + 200 * US, MTU, 40 * MS),
                "a queue of twice the limit only stops growth");
    }

    @Test
    void aQueueThatOutlastsARoundTripAtTheFloorMakesTheBaseBeMeasuredAgain() {
        QueueDelayLimit limit = new QueueDelayLimit();
        limit.onRttSample(1 * MS, 0); // the old path
        long srtt = 50 * MS; // ICE moved to a 50 ms pair
        assertEquals(4 * MTU, limit.shrink(4 * MTU, srtt, MTU, 100 * MS));
        assertEquals(4 * MTU, limit.shrink(4 * MTU, srtt, MTU, 140 * MS));
        assertEquals(1 * MS, limit.minRtt(), "less than a round trip at the floor");
        assertEquals(4 * MTU, limit.shrink(4 * MTU, srtt, MTU, 150 * MS));
        assertEquals(-1, limit.minRtt(), "a round trip at the floor: the base is forgotten");
        assertEquals(1, limit.rebases());
        assertTrue(limit.takeRebase(), "slow start may probe the new path");
        assertFalse(limit.takeRebase(), "once");
        assertFalse(limit.queueBuilt(srtt), "the window may grow again");
        limit.onRttSample(48 * MS, 160 * MS);
        assertEquals(48 * MS, limit.minRtt());
        assertFalse(limit.queueBuilt(srtt));
    }

    @Test
    void leavingTheFloorOrTheQueueRestartsTheRoundTripAtTheFloor() {
        QueueDelayLimit limit = new QueueDelayLimit();
        limit.onRttSample(1 * MS, 0);
        assertEquals(4 * MTU, limit.shrink(4 * MTU, 10 * MS, MTU, 100 * MS));
        assertEquals(4 * MTU, limit.shrink(4 * MTU, 2 * MS, MTU, 105 * MS)); // the queue drained
        assertEquals(4 * MTU, limit.shrink(4 * MTU, 10 * MS, MTU, 112 * MS));
        assertEquals(1 * MS, limit.minRtt(), "12 ms at the floor, but not one unbroken round trip");
        assertEquals(0, limit.rebases());
        assertFalse(limit.takeRebase());
    }
}
