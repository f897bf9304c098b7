package dev.purertc.sctp.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long MS = 1_000_000L;
    private static final int PACKET = 1200;

    @Test
    void withoutAnRttMeasurementNothingIsPaced() {
        Pacer pacer = new Pacer(10 * PACKET);
        pacer.updateRate(120_000, 0, true, 0);
        for (int i = 0; i < 50; i++) {
            assertTrue(pacer.canSend(PACKET, 0), "packet " + i);
            pacer.onSent(PACKET, 0);
        }
        assertEquals(0, pacer.bytesPerSecond());
        assertEquals(0, pacer.nextSendTime(PACKET, 0));
    }

    @Test
    void rateIsGainTimesCwndOverSrtt() {
        Pacer pacer = new Pacer(10 * PACKET);
        pacer.updateRate(120_000, 10 * MS, false, 0);
        assertEquals(15_000_000, pacer.bytesPerSecond()); // 1.25 x 120,000 B / 10 ms
        pacer.updateRate(120_000, 10 * MS, true, 0);
        assertEquals(24_000_000, pacer.bytesPerSecond()); // 2 x in slow start
    }

    @Test
    void aBurstAllowanceLeavesAtOnceThenPacketsAreSpacedAtTheRate() {
        Pacer pacer = new Pacer(10 * PACKET);
        pacer.updateRate(120_000, 10 * MS, false, 0);
        for (int i = 0; i < 10; i++) {
            assertTrue(pacer.canSend(PACKET, 0), "packet " + i + " of the burst");
            pacer.onSent(PACKET, 0);
        }
        assertFalse(pacer.canSend(PACKET, 0));
        // 1200 B at 15,000,000 B/s = 80 us: a packet may leave then (when a SACK wakes the sender)...
        assertFalse(pacer.canSend(PACKET, 79_999));
        assertTrue(pacer.canSend(PACKET, 80_000));
        pacer.onSent(PACKET, 80_000);
        // ...but a timer wakes the sender only for a quantum: 250 us at 15 MB/s, 3,750 B.
        assertEquals(12_000, pacer.bucketBytes()); // the allowance: more than a quantum at this rate
        assertEquals(80_000 + 250_000, pacer.nextSendTime(PACKET, 80_000));
    }

    @Test
    void theBucketNeverExceeds64KibWhateverTheRate() {
        Pacer pacer = new Pacer(10 * PACKET);
        pacer.updateRate(4_000_000, 1 * MS, false, 0); // 5 GB/s
        assertEquals(64 * 1024, pacer.bucketBytes());
    }

    @Test
    void aWakeUpCarriesAQuarterMillisecondOfSending() {
        Pacer pacer = new Pacer(100 * PACKET);
        pacer.updateRate(480_000, 10 * MS, false, 0); // 60,000,000 B/s
        for (int i = 0; i < 100; i++) {
            pacer.onSent(PACKET, 0);
        }
        assertEquals(250_000, pacer.nextSendTime(PACKET, 0)); // 15,000 B = 12.5 packets
        int sent = 0;
        while (pacer.canSend(PACKET, 250_000)) {
            pacer.onSent(PACKET, 250_000);
            sent++;
        }
        assertEquals(12, sent);
    }

    @Test
    void fractionsOfABytePerNanosecondAccumulateExactly() {
        Pacer pacer = new Pacer(10 * PACKET);
        pacer.updateRate(120_000, 10 * MS, false, 0); // 0.015 B per ns
        for (int i = 0; i < 10; i++) {
            pacer.onSent(PACKET, 0);
        }
        // Refilled every 7 ns: the remainders carry over, so the packet is due at 80 us as in one step.
        long t = 0;
        while (!pacer.canSend(PACKET, t)) {
            t += 7;
        }
        assertEquals(80_003, t); // the first multiple of 7 at or after 80,000
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBucket() {
        Pacer pacer = new Pacer(4 * PACKET);
        pacer.updateRate(480_000, 10 * MS, false, 0); // 60 MB/s: 250 us of sending is 15,000 B
        assertEquals(15_000, pacer.bucketBytes());
        for (int i = 0; i < 4; i++) {
            pacer.onSent(PACKET, 0);
        }
        long later = 1_000 * MS;
        int sent = 0;
        while (pacer.canSend(PACKET, later)) {
            pacer.onSent(PACKET, later);
            sent++;
        }
        assertEquals(12, sent);
    }

    @Test
    void atLowRatesTheConfiguredAllowanceIsTheBucket() {
        Pacer pacer = new Pacer(4 * PACKET);
        pacer.updateRate(12_000, 10 * MS, false, 0); // 1.5 MB/s: 250 us of sending is 375 B
        assertEquals(4 * PACKET, pacer.bucketBytes());
        for (int i = 0; i < 4; i++) {
            pacer.onSent(PACKET, 0);
        }
        long later = 1_000 * MS;
        int sent = 0;
        while (pacer.canSend(PACKET, later)) {
            pacer.onSent(PACKET, later);
            sent++;
        }
        assertEquals(4, sent);
    }

    @Test
    void aSmallerRateAfterCwndShrinksSpacesPacketsWider() {
        Pacer pacer = new Pacer(PACKET);
        pacer.updateRate(120_000, 10 * MS, false, 0);
        pacer.onSent(PACKET, 0);
        pacer.updateRate(60_000, 10 * MS, false, 0); // cwnd halved by a fast retransmit
        assertEquals(7_500_000, pacer.bytesPerSecond());
        assertFalse(pacer.canSend(PACKET, 159_999)); // 1200 B at 7.5 MB/s: 160 us
        assertTrue(pacer.canSend(PACKET, 160_000));
    }

    @Test
    void refusesAnEmptyBucket() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(0));
    }
}
