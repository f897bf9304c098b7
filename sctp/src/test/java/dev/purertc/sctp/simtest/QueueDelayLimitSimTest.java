package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.sim.LinkConfig;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.purertc.sctp.tx.QueueDelayLimit} in whole transfers: a loopback-like path (0.2 ms round trip)
 * to a reader of 200 Mbit/s behind a 100-datagram buffer, which then gets 50 ms longer, as when ICE moves
 * to another pair. Seeded, so the figures are exact.
 */
class QueueDelayLimitSimTest {
    private static final long MS = 1_000_000L;

    /** Bytes B received in each of the two phases, and A's window at the end of each. */
    private record Phases(long deliveredBefore, long cwndBefore, long deliveredAfter, long cwndAfter,
            long fastRecoveries) {}

    private static Phases transferAcrossAPathChange(boolean queueDelayLimit) {
        LinkConfig toReceiver = LinkConfig.builder().delayNanos(100_000).bandwidthBitsPerSecond(200_000_000L)
                .maxQueuePackets(100).mtu(1200).seed(3).build();
        LinkConfig back = LinkConfig.builder().delayNanos(100_000).seed(4).build();
        SctpOptions options = SctpOptions.builder().queueDelayLimit(queueDelayLimit).build();
        SimPair pair = new SimPair(options, toReceiver, back, 11);
        assertTrue(pair.connect(10_000 * MS), pair.toString());
        LongSupplier delivered = pair.countBytesReceivedByB();
        Runnable feed = pair.backPressuredBulkSender();
        pair.runUntil(() -> false, 2_000 * MS, feed);
        long before = delivered.getAsLong();
        long cwndBefore = pair.a.congestionWindow();
        pair.aToB.setExtraDelay(25 * MS);
        pair.bToA.setExtraDelay(25 * MS);
        pair.runUntil(() -> false, 4_000 * MS, feed);
        return new Phases(before, cwndBefore, delivered.getAsLong() - before, pair.a.congestionWindow(),
                pair.a.fastRecoveries());
    }

    /**
     * Before the change the limit holds the window near what the reader drains: the same 24.4 MB/s as the
     * loss-based window, which overflows the reader's buffer into 11 fast recoveries. After it, SRTT shows
     * 50 ms of "queue" against the old base: the window falls to 4 MTUs, a round trip there makes the base
     * be measured again and slow start probe the longer path, and it delivers more than the loss-based
     * window in the 4 s after the change. Without the new measurement it stayed at 4 MTUs (1.4 MB in those
     * 4 s, measured while writing this test); without the new slow start it grew by an MTU per round trip
     * (2.1 MB).
     */
    @Test
    void theWindowStaysNearTheReadersPaceAndGrowsAgainAfterThePathGetsLonger() {
        Phases limited = transferAcrossAPathChange(true);
        Phases lossBased = transferAcrossAPathChange(false);

        assertEquals(new Phases(48_824_320, 55_200, 12_386_304, 685_200, 1), limited);
        assertEquals(new Phases(48_758_784, 81_113, 9_895_936, 172_313, 11), lossBased);
    }
}
