package dev.purertc.sctp.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What the reassembly queue keeps of the arrays it is given, owned or not. */
class ReassemblyQueueOwnershipTest {
    private static byte[] packet(int size, int fill) {
        byte[] p = new byte[size];
        Arrays.fill(p, (byte) fill);
        return p;
    }

    @Test
    void borrowedFragmentsAreCopiedSoTheCallerMayReuseItsBuffer() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(10_000);
        byte[] buffer = packet(100, 1);
        q.add(1, 0, 0, 53, false, true, false, buffer, 10, 80, false);
        Arrays.fill(buffer, (byte) 2);
        q.add(2, 0, 0, 53, false, false, true, buffer, 10, 80, false);
        Arrays.fill(buffer, (byte) 3);
        byte[] expected = new byte[160];
        Arrays.fill(expected, 0, 80, (byte) 1);
        Arrays.fill(expected, 80, 160, (byte) 2);
        assertArrayEquals(expected, q.poll().payload());
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void ownedFragmentsAreViewsUntilTheOneReassemblyCopy() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(10_000);
        byte[] first = packet(100, 1);
        byte[] second = packet(100, 2);
        q.add(1, 0, 0, 53, true, true, false, first, 20, 80, true);
        // Still a view: a later change to the owned array shows (this is why owners must not touch it).
        Arrays.fill(first, 20, 100, (byte) 7);
        q.add(2, 0, 0, 53, true, false, true, second, 20, 80, true);
        byte[] expected = new byte[160];
        Arrays.fill(expected, 0, 80, (byte) 7);
        Arrays.fill(expected, 80, 160, (byte) 2);
        ReceivedMessage m = q.poll();
        assertArrayEquals(expected, m.payload());
        assertEquals(true, m.unordered());
    }

    @Test
    void aSmallOwnedFragmentIsCopiedSoItDoesNotPinALargePacket() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(10_000);
        byte[] big = packet(1000, 4);
        q.add(1, 0, 0, 53, false, true, false, big, 0, 10, true);
        Arrays.fill(big, (byte) 5);
        q.add(2, 0, 0, 53, false, false, true, packet(10, 6), 0, 10, true);
        byte[] expected = new byte[20];
        Arrays.fill(expected, 0, 10, (byte) 4);
        Arrays.fill(expected, 10, 20, (byte) 6);
        assertArrayEquals(expected, q.poll().payload());
    }

    @Test
    void aSingleFragmentMessageIsHandedOverWithoutCopyOnlyWhenItIsExactlyAnOwnedArray() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(10_000);
        byte[] exact = packet(30, 8);
        q.add(1, 0, 0, 53, false, true, true, exact, 0, 30, true);
        assertSame(exact, q.poll().payload());
        byte[] borrowed = packet(30, 9);
        q.add(2, 0, 1, 53, false, true, true, borrowed, 0, 30, false);
        byte[] delivered = q.poll().payload();
        assertArrayEquals(packet(30, 9), delivered);
        Arrays.fill(borrowed, (byte) 0);
        assertArrayEquals(packet(30, 9), delivered);
        byte[] packetBytes = packet(50, 10);
        q.add(3, 0, 2, 53, false, true, true, packetBytes, 16, 30, true);
        assertArrayEquals(packet(30, 10), q.poll().payload());
        assertNull(q.poll());
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void reusedCopyBlocksNeverChangeAMessageAlreadyDelivered() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(100_000);
        byte[] buffer = new byte[1200];
        byte[][] delivered = new byte[3][];
        long tsn = 1;
        for (int message = 0; message < 3; message++) {
            for (int part = 0; part < 4; part++) {
                Arrays.fill(buffer, (byte) (message * 10 + part));
                q.add(tsn++, 2, message, 53, false, part == 0, part == 3, buffer, 16, 1000, false);
            }
            delivered[message] = q.poll().payload();
        }
        for (int message = 0; message < 3; message++) {
            assertEquals(4000, delivered[message].length);
            for (int part = 0; part < 4; part++) {
                byte[] expected = packet(1000, message * 10 + part);
                assertArrayEquals(expected, Arrays.copyOfRange(delivered[message], part * 1000, part * 1000 + 1000));
            }
        }
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void smallBorrowedFragmentsAreStoredExactlyAndStillReassembled() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(100_000);
        byte[] buffer = new byte[1200];
        for (int part = 0; part < 3; part++) {
            Arrays.fill(buffer, (byte) (part + 1));
            q.add(1 + part, 2, 0, 53, false, part == 0, part == 2, buffer, 100, 20, false);
        }
        byte[] expected = new byte[60];
        for (int part = 0; part < 3; part++) {
            Arrays.fill(expected, part * 20, part * 20 + 20, (byte) (part + 1));
        }
        assertArrayEquals(expected, q.poll().payload());
        assertEquals(0, q.bufferedBytes());
    }
}
