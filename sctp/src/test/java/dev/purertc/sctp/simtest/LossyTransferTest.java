package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import dev.purertc.sctp.sim.LinkConfig;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** 64 MiB reliable ordered over the simulator with loss, reordering and duplication. */
class LossyTransferTest {
    private static final long MS = 1_000_000L;
    private static final int MESSAGE = 64 * 1024;
    private static final int MESSAGES = 1024; // 64 MiB

    static LinkConfig link(double loss, long seed) {
        return LinkConfig.builder().lossRate(loss).duplicateRate(0.01).reorderRate(0.02)
                .reorderExtraDelayNanos(4 * MS).delayNanos(10 * MS).jitterNanos(MS)
                .bandwidthBitsPerSecond(1_000_000_000L).maxQueueBytes(8 << 20).mtu(1200).seed(seed).build();
    }

    /** Message i: its index, then bytes derived from it. */
    static byte[] message(int i) {
        byte[] m = new byte[MESSAGE];
        ByteBuffer b = ByteBuffer.wrap(m);
        b.putInt(i);
        long x = i * 0x9E3779B97F4A7C15L + 1;
        while (b.remaining() >= 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(x);
        }
        return m;
    }

    @ParameterizedTest(name = "loss {0}%")
    @ValueSource(ints = {0, 5, 20})
    void sixtyFourMebibytesArriveByteExactAndInOrder(int lossPercent) throws Exception {
        long seed = 1000 + lossPercent;
        double loss = lossPercent / 100.0;
        SimPair pair = new SimPair(SctpOptions.defaults(), link(loss, seed), link(loss, seed + 7), seed);
        assertTrue(pair.connect(60_000 * MS), pair::toString);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        int[] next = {0};
        int[] got = {0};
        pair.onEventB = e -> {
            if (e instanceof AssociationEvent.MessageReceived m) {
                assertEquals(got[0], ByteBuffer.wrap(m.payload()).getInt(), () -> "out of order; " + pair);
                assertEquals(MESSAGE, m.payload().length);
                received.update(m.payload());
                got[0]++;
            }
        };
        long start = System.nanoTime();
        boolean done = pair.runUntil(() -> got[0] == MESSAGES, 3_600_000 * MS, () -> {
            while (next[0] < MESSAGES && pair.a.totalBufferedAmount() < 1_000_000) {
                byte[] m = message(next[0]);
                assertEquals(SendStatus.SUCCESS, pair.a.send(0, 53, m, SendOptions.RELIABLE_ORDERED, pair.now()));
                sent.update(m);
                next[0]++;
            }
        });
        long realMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(done, () -> "received " + got[0] + " of " + MESSAGES + "; " + pair);
        assertArrayEquals(sent.digest(), received.digest(), pair::toString);
        assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        System.out.printf("64 MiB at %d%% loss: %.1f s virtual, %d ms real, %s%n", lossPercent,
                (pair.now() - 1_000_000_000L) / 1e9, realMs, pair);
    }
}
