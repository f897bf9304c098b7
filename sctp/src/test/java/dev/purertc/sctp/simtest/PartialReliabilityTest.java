package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.sim.LinkConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 3758 partial reliability over the simulator: losses only where allowed, never a stall. */
class PartialReliabilityTest {
    private static final long MS = 1_000_000L;
    private static final long MARKER_PPID = 99;

    static LinkConfig link(double loss, long seed) {
        return LinkConfig.builder().lossRate(loss).delayNanos(10 * MS)
                .bandwidthBitsPerSecond(100_000_000L).maxQueueBytes(4 << 20).mtu(1200).seed(seed).build();
    }

    static byte[] message(int i, int size) {
        byte[] m = new byte[size];
        Arrays.fill(m, (byte) i);
        ByteBuffer.wrap(m).putInt(i);
        return m;
    }

    /** Outcome of sending {@code count} messages then one reliable marker on the same stream. */
    record Outcome(int delivered, boolean markerArrived, long abandoned, long lostOnLink, boolean inOrder) {}

    static Outcome run(double loss, long seed, SendOptions options, int count, int size) {
        return run(loss, seed, options, count, size, 200_000);
    }

    static Outcome run(double loss, long seed, SendOptions options, int count, int size, long feedBytes) {
        SimPair pair = new SimPair(SctpOptions.defaults(), link(loss, seed), link(loss, seed + 1), seed);
        assertTrue(pair.connect(60_000 * MS), pair::toString);
        boolean[] seen = new boolean[count];
        int[] delivered = {0};
        int[] last = {-1};
        boolean[] inOrder = {true};
        boolean[] marker = {false};
        pair.onEventB = e -> {
            if (e instanceof AssociationEvent.MessageReceived m) {
                if (m.ppid() == MARKER_PPID) {
                    marker[0] = true;
                    return;
                }
                int i = ByteBuffer.wrap(m.payload()).getInt();
                assertTrue(!seen[i], "delivered twice: " + i + "; " + pair);
                seen[i] = true;
                assertArrayEquals(message(i, size), m.payload(), () -> "corrupt message; " + pair);
                if (i < last[0]) {
                    inOrder[0] = false;
                }
                last[0] = i;
                delivered[0]++;
            }
        };
        int[] next = {0};
        boolean done = pair.runUntil(() -> marker[0], 600_000 * MS, () -> {
            while (next[0] <= count && pair.a.totalBufferedAmount() < feedBytes) {
                SendStatus s = next[0] < count
                        ? pair.a.send(1, 53, message(next[0], size), options, pair.now())
                        : pair.a.send(1, MARKER_PPID, new byte[] {1}, SendOptions.RELIABLE_ORDERED, pair.now());
                assertEquals(SendStatus.SUCCESS, s);
                next[0]++;
            }
        });
        assertTrue(done, () -> "stalled after " + delivered[0] + " messages; " + pair);
        // Unordered messages may still be in flight behind the marker: let every timer play out.
        pair.runUntil(() -> false, 60_000 * MS, () -> { });
        return new Outcome(delivered[0], marker[0], pair.a.abandonedMessages(), pair.aToB.droppedByLoss(), inOrder[0]);
    }

    @Test
    void maxRetransmitsZeroLosesOnlyMessagesWhosePacketsWereLost() {
        Outcome o = run(0.05, 11, new SendOptions(false, 0, -1), 3000, 1000);
        assertTrue(o.inOrder());
        assertTrue(o.abandoned() > 0, o.toString());
        assertTrue(3000 - o.delivered() <= o.lostOnLink(), o.toString());
        assertTrue(3000 - o.delivered() <= o.abandoned(), o.toString());
    }

    @Test
    void maxRetransmitsZeroWithoutLossDeliversEverything() {
        Outcome o = run(0.0, 12, new SendOptions(false, 0, -1), 3000, 1000);
        assertEquals(3000, o.delivered());
        assertEquals(0, o.abandoned());
    }

    @Test
    void unorderedFragmentedMessagesAreDeliveredWholeOrNotAtAll() {
        // 3,000-byte messages span three DATA chunks; a lost fragment abandons the whole message.
        Outcome o = run(0.05, 13, new SendOptions(true, 0, -1), 2000, 3000);
        assertTrue(o.abandoned() > 0, o.toString());
        assertTrue(2000 - o.delivered() <= o.abandoned(), o.toString());
        // A packet holds fragments of at most two messages.
        assertTrue(o.delivered() >= 2000 - 2 * o.lostOnLink(), o.toString());
    }

    @Test
    void maxRetransmitsThreeRecoversAlmostEverything() {
        Outcome o = run(0.05, 14, new SendOptions(false, 3, -1), 3000, 1000);
        assertTrue(o.inOrder());
        // A message is lost only if four transmissions of one chunk were all lost (p = 0.05^4).
        assertTrue(3000 - o.delivered() <= o.abandoned(), o.toString());
        assertTrue(o.delivered() >= 2995, o.toString());
    }

    @Test
    void lifetimeLimitedMessagesAreAbandonedOnlyAfterExpiry() {
        // A 200 ms lifetime covers a fast retransmit (about one 20 ms RTT) but not a T3 timeout
        // (RTO >= 400 ms); little is queued, so messages do not expire waiting to be sent.
        Outcome o = run(0.10, 15, new SendOptions(false, -1, 200 * MS), 2000, 1000, 5_000);
        assertTrue(o.inOrder());
        assertTrue(o.abandoned() > 0, o.toString());
        assertTrue(2000 - o.delivered() <= o.abandoned(), o.toString());
        assertTrue(2000 - o.delivered() <= o.lostOnLink(), o.toString());
    }

    @Test
    void longLifetimeDeliversEverythingDespiteLoss() {
        Outcome o = run(0.10, 16, new SendOptions(false, -1, 600_000 * MS), 2000, 1000);
        assertEquals(2000, o.delivered());
        assertEquals(0, o.abandoned());
    }
}
