package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationStats;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.sim.LinkConfig;
import org.junit.jupiter.api.Test;

/** {@code Association.stats()}: what getStats reports of SCTP, on the simulator. */
class AssociationStatsTest {
    private static final long MS = 1_000_000L;
    private static final int MESSAGE = 16 * 1024;
    private static final int MESSAGES = 256; // 4 MiB

    private static LinkConfig link(double loss, long seed) {
        return LinkConfig.builder().lossRate(loss).delayNanos(10 * MS).bandwidthBitsPerSecond(100_000_000L)
                .maxQueueBytes(8 << 20).mtu(1200).seed(seed).build();
    }

    @Test
    void beforeTheAssociationTheInitialWindowAndNoMeasurement() {
        SimPair pair = new SimPair(SctpOptions.defaults(), link(0, 1), link(0, 2), 3);
        AssociationStats s = pair.a.stats();
        SctpOptions o = SctpOptions.defaults();
        assertEquals(new AssociationStats((long) o.initialCwndMtus() * o.mtu(), 0, 0, -1, o.mtu(), 0,
                o.rtoInitial(), 0, 0, 0, 0), s);
    }

    @Test
    void aLosslessTransferRetransmitsNothingAndMeasuresTheRoundTrip() {
        SimPair pair = transfer(0);
        AssociationStats s = pair.a.stats();
        assertEquals(0, s.retransmittedChunks());
        assertEquals(0, s.t3Expiries());
        assertEquals(0, s.fastRecoveries());
        assertEquals(0, s.bytesInFlight(), "everything acknowledged");
        // 10 ms each way is the floor; a window larger than the path's 250 KB bandwidth-delay product
        // queues at the 100 Mbit/s link, and SRTT includes that queueing (a megabyte is 80 ms more).
        assertTrue(s.smoothedRttNanos() >= 20 * MS && s.smoothedRttNanos() < 200 * MS, s.toString());
        assertTrue(s.congestionWindow() > (long) SctpOptions.defaults().initialCwndMtus() * s.mtu(),
                "slow start grew the window: " + s);
    }

    @Test
    void aLossyTransferCountsItsRetransmissions() {
        SimPair pair = transfer(0.05);
        AssociationStats s = pair.a.stats();
        assertTrue(s.retransmittedChunks() > 0, s.toString());
        assertTrue(s.fastRecoveries() > 0, s.toString());
        assertEquals(0, s.bytesInFlight(), "everything acknowledged");
    }

    private static SimPair transfer(double loss) {
        SimPair pair = new SimPair(SctpOptions.defaults(), link(loss, 11), link(loss, 12), 13);
        assertTrue(pair.connect(60_000 * MS), pair::toString);
        int[] got = {0};
        int[] next = {0};
        pair.onEventB = e -> {
            if (e instanceof AssociationEvent.MessageReceived) {
                got[0]++;
            }
        };
        boolean done = pair.runUntil(() -> got[0] == MESSAGES && pair.a.stats().bytesInFlight() == 0, 600_000 * MS, () -> {
            while (next[0] < MESSAGES && pair.a.totalBufferedAmount() < 1_000_000) {
                assertEquals(SendStatus.SUCCESS, pair.a.send(0, 53, new byte[MESSAGE], SendOptions.RELIABLE_ORDERED,
                        pair.now()));
                next[0]++;
            }
        });
        assertTrue(done, () -> "received " + got[0] + " of " + MESSAGES + "; " + pair);
        return pair;
    }
}
