package dev.purertc.sctp.simtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purertc.sctp.AssociationEvent;
import dev.purertc.sctp.AssociationState;
import dev.purertc.sctp.SctpOptions;
import dev.purertc.sctp.SendOptions;
import dev.purertc.sctp.SendStatus;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Transfers over the zero-delay pair with seeded random loss (protocol logic, not timing). */
class DirectTransferTest {
    private static final long MS = 1_000_000L;

    private static DirectPair connected(long seed, double loss) {
        DirectPair pair = new DirectPair(SctpOptions.defaults(), seed);
        pair.a.connect(pair.now);
        pair.exchange();
        Random r = new Random(seed);
        pair.dropAtoB = p -> r.nextDouble() < loss;
        pair.dropBtoA = p -> r.nextDouble() < loss;
        return pair;
    }

    private static byte[] message(int index, int size) {
        byte[] m = new byte[size];
        Random r = new Random(index);
        r.nextBytes(m);
        return m;
    }

    @Test
    void orderedMessagesOfMixedSizesArriveInOrderUnderLoss() {
        for (double loss : new double[] {0.0, 0.05, 0.2}) {
            long seed = 42;
            DirectPair pair = connected(seed, loss);
            int count = 400;
            int[] sizes = new int[count];
            Random sizeRandom = new Random(7);
            for (int i = 0; i < count; i++) {
                sizes[i] = 1 + sizeRandom.nextInt(i % 10 == 0 ? 70_000 : 3000);
            }
            int[] next = {0};
            int[] received = {0};
            boolean ok = pair.runUntil(() -> {
                while (next[0] < count && pair.a.send(3, 53, message(next[0], sizes[next[0]]),
                        SendOptions.RELIABLE_ORDERED, pair.now) == SendStatus.SUCCESS) {
                    next[0]++;
                }
                for (var e : pair.eventsB) {
                    if (e instanceof AssociationEvent.MessageReceived m) {
                        assertArrayEquals(message(received[0], sizes[received[0]]), m.payload(),
                                "message " + received[0] + " at loss " + loss + " seed " + seed);
                        received[0]++;
                    }
                }
                pair.eventsB.clear();
                return received[0] == count;
            }, 3_600_000 * MS);
            assertTrue(ok, "received " + received[0] + " of " + count + " at loss " + loss + " seed " + seed);
            assertEquals(AssociationState.ESTABLISHED, pair.a.state());
        }
    }

    @Test
    void unorderedMessagesArriveExactlyOnce() {
        DirectPair pair = connected(9, 0.1);
        int count = 2000;
        boolean[] seen = new boolean[count];
        int[] next = {0};
        int[] received = {0};
        boolean ok = pair.runUntil(() -> {
            while (next[0] < count) {
                byte[] m = new byte[4 + (next[0] % 3 == 0 ? 3000 : 10)];
                java.nio.ByteBuffer.wrap(m).putInt(next[0]);
                if (pair.a.send(next[0] % 5, 53, m, SendOptions.RELIABLE_UNORDERED, pair.now) != SendStatus.SUCCESS) {
                    break;
                }
                next[0]++;
            }
            for (var e : pair.eventsB) {
                if (e instanceof AssociationEvent.MessageReceived m) {
                    int idx = java.nio.ByteBuffer.wrap(m.payload()).getInt();
                    assertTrue(!seen[idx], "duplicate delivery of " + idx);
                    assertTrue(m.unordered());
                    assertEquals(4 + (idx % 3 == 0 ? 3000 : 10), m.payload().length);
                    seen[idx] = true;
                    received[0]++;
                }
            }
            pair.eventsB.clear();
            return received[0] == count;
        }, 3_600_000 * MS);
        assertTrue(ok, "received " + received[0]);
    }
}
