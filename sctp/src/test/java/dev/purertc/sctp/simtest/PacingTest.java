package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.sim.LinkConfig;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Pacing ({@link dev.purertc.sctp.tx.Pacer}) against a receiver whose socket buffer holds 100 datagrams
 * (Chromium's at the default 212,992 bytes), modelled as the simulator's drop-tail FIFO bounded in
 * datagrams and drained at the reader's pace. Every run is seeded, so the figures are exact.
 */
class PacingTest {
    private static final long MS = 1_000_000L;
    private static final int RECEIVE_BUFFER_DATAGRAMS = 100;

    /** What one transfer did. */
    private record Transfer(long bytesDelivered, long receiveBufferDrops, long largestInstantBurst,
            long fastRecoveries, long t3Expiries, long pacingDelays) {}

    /**
     * A applies back-pressure the way the interop benchmarks do ({@link SimPair#backPressuredBulkSender()}),
     * each {@code send} flushing what the windows allow.
     */
    private static Transfer transfer(boolean pacing, long oneWayDelayNanos, long readerBitsPerSecond,
            long durationNanos) {
        return transfer(SctpOptions.builder().pacing(pacing).build(), oneWayDelayNanos, readerBitsPerSecond,
                durationNanos);
    }

    private static Transfer transfer(SctpOptions options, long oneWayDelayNanos, long readerBitsPerSecond,
            long durationNanos) {
        LinkConfig toReceiver = LinkConfig.builder().delayNanos(oneWayDelayNanos)
                .bandwidthBitsPerSecond(readerBitsPerSecond).maxQueuePackets(RECEIVE_BUFFER_DATAGRAMS)
                .mtu(1200).seed(3).build();
        LinkConfig back = LinkConfig.builder().delayNanos(oneWayDelayNanos).seed(4).build();
        SimPair pair = new SimPair(options, toReceiver, back, 11);
        assertTrue(pair.connect(10_000 * MS), pair.toString());
        LongSupplier delivered = pair.countBytesReceivedByB();
        Runnable sender = pair.backPressuredBulkSender();
        long[] burst = {Long.MIN_VALUE, 0, 0}; // instant, packets sent before it, largest burst
        pair.runUntil(() -> {
            burst[2] = Math.max(burst[2], pair.aToB.packetsSent() - burst[1]);
            return false;
        }, durationNanos, () -> {
            if (pair.now() != burst[0]) { // the first step at this instant: nothing sent at it yet
                burst[0] = pair.now();
                burst[1] = pair.aToB.packetsSent();
            }
            sender.run();
        });
        return new Transfer(delivered.getAsLong(), pair.aToB.droppedByQueue(), burst[2], pair.a.fastRecoveries(),
                pair.a.t3Expiries(), pair.a.pacingDelays());
    }

    /**
     * A 20 ms round trip to a reader of 1 Gbit/s: unpaced, slow start's ack-clocked bursts (two
     * packets per acked one, at memory speed) fill the 100 datagrams long before cwnd reaches the path's
     * 2.5 MB, and congestion avoidance climbs one MTU per round trip from there. Paced at 2 x cwnd / SRTT
     * the queue stays short until cwnd is near the path's size, so the one overflow comes at a larger
     * window (with more drops in that one episode, all recovered by one fast recovery) and 2.6 times as
     * many bytes arrive.
     */
    @Test
    void pacingMoreThanDoublesThroughputIntoAHundredDatagramBufferAcrossTwentyMilliseconds() {
        Transfer unpaced = transfer(false, 10 * MS, 1_000_000_000L, 3_000 * MS);
        Transfer paced = transfer(true, 10 * MS, 1_000_000_000L, 3_000 * MS);

        assertEquals(new Transfer(58_851_328, 92, 11, 1, 0, 0), unpaced);
        assertEquals(new Transfer(151_912_448, 500, 21, 1, 0, 4_080), paced);
        assertTrue(paced.bytesDelivered() > 2 * unpaced.bytesDelivered(), paced + " vs " + unpaced);
    }

    /**
     * A loopback-like path (0.2 ms round trip, a reader of 200 Mbit/s): SRTT is mostly the reader's queue,
     * so gain x cwnd / SRTT stays above the reader's pace, the pacer never holds a packet back, and the
     * transfer is identical to the unpaced one, packet for packet.
     */
    @Test
    void whereCwndOverSrttExceedsTheReaderPacingNeverHoldsBackAndChangesNothing() {
        SctpOptions lossBased = SctpOptions.builder().queueDelayLimit(false).build();
        Transfer unpaced = transfer(lossBased.toBuilder().pacing(false).build(), 100_000, 200_000_000L, 3_000 * MS);
        Transfer paced = transfer(lossBased, 100_000, 200_000_000L, 3_000 * MS);

        assertEquals(new Transfer(73_203_712, 77, 11, 16, 0, 0), unpaced);
        assertEquals(unpaced, paced);
    }

    /**
     * The same path with the default {@link dev.purertc.sctp.tx.QueueDelayLimit}: the window stops growing
     * once the reader's queue shows in SRTT, so the 100 datagrams never overflow (no drop, no fast
     * recovery instead of 77 and 16) and the reader, the bottleneck, still gets every byte it can take.
     */
    @Test
    void aQueueDelayLimitKeepsTheReadersBufferFromOverflowingAtTheSameThroughput() {
        Transfer limited = transfer(SctpOptions.builder().build(), 100_000, 200_000_000L, 3_000 * MS);

        assertEquals(new Transfer(73_203_712, 0, 11, 0, 0, 0), limited);
    }

    /**
     * The pacer's deadline drives the simulated loop, as it drives channel-api's event loop: with cwnd
     * and Max.Burst out of the way, a 64 KiB message leaves as the pacer's allowance of 10 packets, and
     * the next ones wait for {@link dev.purertc.sctp.Association#nextTimeoutNanos()}.
     */
    @Test
    void heldBackDataLeavesAtThePacingDeadline() {
        LinkConfig link = LinkConfig.builder().delayNanos(10 * MS).seed(5).build();
        SctpOptions options = SctpOptions.builder().initialCwndMtus(100).maxBurst(100).build();
        SimPair pair = new SimPair(options, link, link.toBuilder().seed(6).build(), 21);
        assertTrue(pair.connect(10_000 * MS), pair.toString());
        byte[] message = new byte[64 * 1024];
        pair.a.send(0, 53, message, SendOptions.RELIABLE_ORDERED, pair.now()); // measures an RTT
        assertTrue(pair.runUntil(() -> pair.a.smoothedRtt() > 0 && pair.a.totalBufferedAmount() == 0
                && pair.aToB.inFlightCount() == 0 && pair.bToA.inFlightCount() == 0, 1_000 * MS, () -> { }),
                pair.toString());

        pair.a.send(0, 53, message, SendOptions.RELIABLE_ORDERED, pair.now());
        int burst = 0;
        while (pair.a.pollOutgoingPacket() != null) {
            burst++;
        }
        long deadline = pair.a.nextTimeoutNanos();
        pair.a.advanceTime(deadline);
        int onTime = 0;
        while (pair.a.pollOutgoingPacket() != null) {
            onTime++;
        }

        assertEquals(10, burst);
        assertEquals(20 * MS, pair.a.smoothedRtt()); // the path's round trip: nothing queues
        // 2 x 120,000 B (slow start) / 20 ms = 12 MB/s; a wake-up waits for a quantum, 250 us of that
        // (3,000 B): the next 2 packets leave 250 us later.
        assertEquals(250_000, deadline - pair.now());
        assertEquals(2, onTime);
    }
}
