package dev.purertc.sctp.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedLinkTest {
    private static final long MS = 1_000_000L;

    /** A delivered packet and the time it was collected at. */
    private record Arrival(long time, byte[] packet) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Arrival a && time == a.time && java.util.Arrays.equals(packet, a.packet);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(time) * 31 + java.util.Arrays.hashCode(packet);
        }
    }

    /** Steps a virtual clock from arrival to arrival until the link is empty. */
    private static List<Arrival> drain(SimulatedLink link, VirtualClock clock) {
        List<Arrival> arrivals = new ArrayList<>();
        while (link.nextDeliveryTime() != Long.MAX_VALUE) {
            clock.advanceTo(Math.max(clock.now(), link.nextDeliveryTime()));
            for (byte[] p : link.deliverUntil(clock.now())) {
                arrivals.add(new Arrival(clock.now(), p));
            }
        }
        return arrivals;
    }

    private static byte[] numbered(int i, int size) {
        byte[] p = new byte[size];
        p[0] = (byte) (i >>> 8);
        p[1] = (byte) i;
        return p;
    }

    private static int number(byte[] p) {
        return ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    }

    /**
     * Sends numbered packets at the given times (ascending), collecting every arrival at its exact time
     * on a virtual clock, as a simulation loop does; then drains the link.
     */
    private static List<Arrival> simulate(SimulatedLink link, long[] sendTimes, int[] sizes) {
        VirtualClock clock = new VirtualClock();
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < sendTimes.length; i++) {
            while (link.nextDeliveryTime() <= sendTimes[i]) {
                clock.advanceTo(link.nextDeliveryTime());
                for (byte[] p : link.deliverUntil(clock.now())) {
                    arrivals.add(new Arrival(clock.now(), p));
                }
            }
            clock.advanceTo(sendTimes[i]);
            link.send(numbered(i, sizes[i]), clock.now());
        }
        arrivals.addAll(drain(link, clock));
        return arrivals;
    }

    private static long[] every(long interval, int count) {
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            times[i] = i * interval;
        }
        return times;
    }

    private static int[] sizes(int size, int count) {
        int[] sizes = new int[count];
        java.util.Arrays.fill(sizes, size);
        return sizes;
    }

    /** Sends 2,000 numbered packets of varied sizes 100 µs apart. */
    private static List<Arrival> run(LinkConfig config) {
        int[] sizes = new int[2_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = 100 + i % 900;
        }
        return simulate(new SimulatedLink(config), every(100_000L, 2_000), sizes);
    }

    private static LinkConfig.Builder impaired() {
        return LinkConfig.builder().lossRate(0.05).duplicateRate(0.02).reorderRate(0.05).reorderExtraDelayNanos(3 * MS)
                .delayNanos(20 * MS).jitterNanos(2 * MS).bandwidthBitsPerSecond(50_000_000).maxQueueBytes(64_000);
    }

    @Test
    void sameSeedGivesIdenticalDeliveries() {
        List<Arrival> first = run(impaired().seed(7).build());
        List<Arrival> second = run(impaired().seed(7).build());
        assertEquals(first, second);
        assertTrue(first.size() > 1_800, "most packets arrive: " + first.size());
        assertNotEquals(first, run(impaired().seed(8).build()));
    }

    @Test
    void lossRateMatchesItsSeededCountAndStatisticalBounds() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().lossRate(0.1).seed(42).build());
        for (int i = 0; i < 10_000; i++) {
            link.send(new byte[100], i * 1_000L);
        }
        // Binomial(10000, 0.1): mean 1000, standard deviation 30; seed 42 loses exactly 960.
        assertEquals(960, link.droppedByLoss());
        assertTrue(Math.abs(link.droppedByLoss() - 1000) < 150);
        assertEquals(10_000 - 960, link.inFlightCount());
        link.deliverUntil(Long.MAX_VALUE - 1);
        assertEquals(9_040, link.delivered());
        assertEquals(904_000, link.bytesDelivered());
        assertEquals(1_000_000, link.bytesSent());
    }

    @Test
    void bandwidthPacesPacketsAtExactTimes() {
        // 1000-byte packets at 8 Mbit/s take 1 ms each on the wire; 10 ms propagation delay.
        SimulatedLink link = new SimulatedLink(
                LinkConfig.builder().bandwidthBitsPerSecond(8_000_000).delayNanos(10 * MS).build());
        for (int i = 0; i < 5; i++) {
            link.send(numbered(i, 1000), 0);
        }
        List<Arrival> arrivals = drain(link, new VirtualClock());
        assertEquals(5, arrivals.size());
        for (int i = 0; i < 5; i++) {
            assertEquals((11 + i) * MS, arrivals.get(i).time(), "packet " + i);
            assertEquals(i, number(arrivals.get(i).packet()));
        }
    }

    @Test
    void idleLinkSendsAtOnceAndBusyLinkQueues() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().bandwidthBitsPerSecond(8_000_000).build());
        link.send(new byte[500], 0); // 0.5 ms on the wire
        assertEquals(500_000, link.nextDeliveryTime());
        link.deliverUntil(10 * MS);
        link.send(new byte[1000], 10 * MS); // transmitter idle again: starts at once
        assertEquals(11 * MS, link.nextDeliveryTime());
        link.send(new byte[1000], 10 * MS + 200_000); // waits for the previous packet
        link.deliverUntil(11 * MS);
        assertEquals(12 * MS, link.nextDeliveryTime());
    }

    @Test
    void fullQueueDropsTail() {
        SimulatedLink link = new SimulatedLink(
                LinkConfig.builder().bandwidthBitsPerSecond(8_000_000).maxQueueBytes(3_000).build());
        for (int i = 0; i < 5; i++) {
            link.send(numbered(i, 1000), 0);
        }
        assertEquals(2, link.droppedByQueue());
        assertEquals(3, link.inFlightCount());
        link.send(numbered(5, 1000), MS); // the first packet has left the queue
        assertEquals(2, link.droppedByQueue());
        List<Arrival> arrivals = drain(link, new VirtualClock(MS));
        assertEquals(List.of(0, 1, 2, 5), arrivals.stream().map(a -> number(a.packet())).toList());
        assertEquals(4 * MS, arrivals.get(3).time());
    }

    @Test
    void packetsLargerThanMtuAreDropped() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().mtu(1200).build());
        link.send(new byte[1200], 0);
        link.send(new byte[1201], 0);
        link.send(new byte[64], 0);
        assertEquals(1, link.droppedByMtu());
        assertEquals(List.of(1200, 64), link.deliverUntil(0).stream().map(p -> p.length).toList());
        assertEquals(3, link.packetsSent());
    }

    @Test
    void reorderedPacketsAreOvertakenByLaterOnes() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().reorderRate(0.3).reorderExtraDelayNanos(5 * MS)
                .delayNanos(10 * MS).seed(42).build());
        List<Arrival> arrivals = simulate(link, every(MS, 100), sizes(2, 100));
        assertEquals(23, link.reordered());
        assertEquals(100, arrivals.size());
        int late = 0;
        int overtaken = 0;
        for (int k = 0; k < arrivals.size(); k++) {
            int i = number(arrivals.get(k).packet());
            long transit = arrivals.get(k).time() - i * MS;
            if (transit == 15 * MS) {
                late++;
            } else {
                assertEquals(10 * MS, transit, "packet " + i);
            }
            if (k > 0 && i < number(arrivals.get(k - 1).packet())) {
                overtaken++;
            }
        }
        assertEquals(23, late);
        assertTrue(overtaken > 0, "some packet arrives after a later-sent one");
        assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(),
                arrivals.stream().map(a -> number(a.packet())).sorted().toList());
    }

    @Test
    void duplicatedPacketsArriveTwice() {
        SimulatedLink always = new SimulatedLink(LinkConfig.builder().duplicateRate(1.0).build());
        always.send(numbered(9, 4), 0);
        List<byte[]> both = always.deliverUntil(0);
        assertEquals(2, both.size());
        assertArrayEquals(both.get(0), both.get(1));
        assertEquals(1, always.duplicated());

        SimulatedLink sometimes = new SimulatedLink(LinkConfig.builder().duplicateRate(0.2).seed(42).build());
        for (int i = 0; i < 1_000; i++) {
            sometimes.send(new byte[100], i * 1_000L);
        }
        assertEquals(196, sometimes.duplicated());
        assertEquals(1_196, sometimes.deliverUntil(Long.MAX_VALUE - 1).size());
    }

    @Test
    void jitterStaysWithinItsBound() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().delayNanos(10 * MS).jitterNanos(MS).seed(3).build());
        List<Arrival> arrivals = simulate(link, every(10 * MS, 1_000), sizes(2, 1_000));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Arrival a : arrivals) {
            long transit = a.time() - number(a.packet()) * 10 * MS;
            min = Math.min(min, transit);
            max = Math.max(max, transit);
        }
        assertTrue(min >= 10 * MS && max <= 11 * MS, "transit in [10, 11] ms: " + min + ".." + max);
        assertTrue(max - min > MS / 2, "jitter is actually applied: " + (max - min));
    }

    @Test
    void deliveryIsInArrivalOrderAndOnlyUpToNow() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().delayNanos(5 * MS).build());
        assertEquals(Long.MAX_VALUE, link.nextDeliveryTime());
        link.send(numbered(1, 2), 0);
        link.send(numbered(2, 2), MS);
        link.send(numbered(3, 2), 2 * MS);
        assertEquals(List.of(), link.deliverUntil(5 * MS - 1));
        assertEquals(List.of(1, 2), link.deliverUntil(6 * MS).stream().map(SimulatedLinkTest::number).toList());
        assertEquals(7 * MS, link.nextDeliveryTime());
        assertThrows(IllegalArgumentException.class, () -> link.send(new byte[1], 5 * MS));
    }

    @Test
    void sentBytesAreCopied() {
        SimulatedLink link = new SimulatedLink(LinkConfig.perfect());
        byte[] packet = {1, 2, 3};
        link.send(packet, 0);
        packet[0] = 99;
        assertArrayEquals(new byte[] {1, 2, 3}, link.deliverUntil(0).get(0));
    }

    @Test
    void seedIsPartOfToString() {
        SimulatedLink link = new SimulatedLink(LinkConfig.builder().seed(123456789L).build());
        assertTrue(link.toString().contains("seed=123456789"), link.toString());
    }

    @Test
    void virtualClockOnlyMovesForward() {
        VirtualClock clock = new VirtualClock(5);
        clock.advanceBy(10);
        assertEquals(15, clock.now());
        clock.advanceTo(20);
        assertEquals(20, clock.now());
        assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(19));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceBy(-1));
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LinkConfig.builder().lossRate(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> LinkConfig.builder().delayNanos(-1).build());
        assertEquals(LinkConfig.builder().lossRate(0.25).seed(9).build(),
                LinkConfig.builder().lossRate(0.25).seed(9).build().toBuilder().build());
    }
}
