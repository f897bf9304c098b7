package dev.purertc.sctp.rx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReassemblyQueueTest {
    private static byte[] b(int... v) {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (byte) v[i];
        }
        return r;
    }

    @Test
    void orderedMessagesWaitForEarlierSsnsAndReassembleOutOfOrderFragments() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(1000);
        // SSN 1 (single fragment) arrives before SSN 0 (three fragments, arriving 12, 10, 11).
        q.add(13, 4, 1, 53, false, true, true, b(9));
        q.add(12, 4, 0, 53, false, false, true, b(5, 6));
        q.add(10, 4, 0, 53, false, true, false, b(1, 2));
        assertNull(q.poll());
        assertEquals(5, q.bufferedBytes());
        q.add(11, 4, 0, 53, false, false, false, b(3, 4));
        ReceivedMessage m0 = q.poll();
        assertArrayEquals(b(1, 2, 3, 4, 5, 6), m0.payload());
        assertEquals(4, m0.streamId());
        assertArrayEquals(b(9), q.poll().payload());
        assertNull(q.poll());
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void unorderedMessagesAreReleasedWhenComplete() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(1000);
        q.add(21, 1, 0, 51, true, false, true, b(2));
        q.add(22, 1, 0, 51, true, true, true, b(7));
        assertArrayEquals(b(7), q.poll().payload());
        q.add(20, 1, 0, 51, true, true, false, b(1));
        ReceivedMessage m = q.poll();
        assertArrayEquals(b(1, 2), m.payload());
        assertEquals(true, m.unordered());
    }

    @Test
    void aMessageGrowingBeyondTheLimitIsDroppedWithItsStreamUntilTheStreamIsReset() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(4);
        q.add(1, 0, 0, 53, false, true, false, b(1, 2, 3));
        q.add(10, 1, 0, 53, false, true, false, b(7));          // another stream, in the middle of a message
        q.add(2, 0, 0, 53, false, false, false, b(4, 5));       // stream 0's message reaches 5 bytes
        assertEquals(new OversizedMessage(0, 5, 4,
                "a message of at least 5 bytes on stream 0 exceeds the max-message-size of 4"), q.pollOversized());
        assertNull(q.pollOversized());
        assertTrue(q.isDiscarding(0));
        assertEquals(1, q.bufferedBytes()); // only stream 1's fragment is held
        q.add(3, 0, 0, 53, false, false, true, b(6));           // the rest of the refused message
        q.add(4, 0, 1, 53, false, true, true, b(8));            // and a later one on the same stream
        assertNull(q.poll());
        assertNull(q.pollOversized());                           // reported once
        assertEquals(1, q.bufferedBytes());
        q.add(11, 1, 0, 53, false, false, true, b(9));          // stream 1 goes on
        assertArrayEquals(b(7, 9), q.poll().payload());
        q.resetStreams(new int[] {0});                           // the peer resets stream 0: it carries data again
        assertFalse(q.isDiscarding(0));
        q.add(12, 0, 0, 53, false, true, true, b(1, 2, 3, 4));
        assertArrayEquals(b(1, 2, 3, 4), q.poll().payload());
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void aSingleFragmentOverTheLimitIsDroppedWithItsStream() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(4);
        q.add(1, 2, 0, 51, false, true, true, b(1, 2, 3, 4, 5));
        assertEquals(5, q.pollOversized().bytes());
        q.add(2, 2, 1, 51, false, true, true, b(1));
        assertNull(q.poll());
        ReassemblyQueue u = new ReassemblyQueue(4);
        u.add(1, 2, 0, 51, true, true, true, b(1, 2, 3, 4, 5));
        assertEquals(2, u.pollOversized().streamId());
        assertEquals(0, u.bufferedBytes());
    }

    @Test
    void anUnorderedMessageOverTheLimitIsDroppedWithEveryUnorderedFragmentOfItsStream() throws Exception {
        ReassemblyQueue u = new ReassemblyQueue(4);
        u.add(10, 0, 0, 53, true, true, false, b(9));            // an incomplete unordered message of stream 0
        u.add(1, 0, 0, 53, true, true, false, b(1, 2, 3));
        u.add(20, 3, 0, 53, true, true, false, b(5));            // stream 3 is not touched
        u.add(2, 0, 0, 53, true, false, false, b(4, 5));
        OversizedMessage o = u.pollOversized();
        assertEquals(0, o.streamId());
        assertEquals(5, o.bytes());
        assertEquals(1, u.bufferedBytes());
        u.add(21, 3, 0, 53, true, false, true, b(6));
        assertArrayEquals(b(5, 6), u.poll().payload());
        assertEquals(0, u.bufferedBytes());
    }

    @Test
    void anUnorderedMessageCutIntoTinyPiecesIsDropped() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(640); // at most 640 / 64 + 2 = 12 fragments
        q.add(100, 0, 0, 53, true, true, false, b(1));
        for (int i = 1; i <= 12; i++) {
            q.add(100 + i, 0, 0, 53, true, false, false, b(1));
        }
        assertNull(q.pollOversized());
        q.add(113, 0, 0, 53, true, false, false, b(1));
        OversizedMessage o = q.pollOversized();
        assertEquals(0, o.streamId());
        assertTrue(o.reason().contains("more than 12 fragments"), o.reason());
        assertEquals(0, q.bufferedBytes());
    }

    @Test
    void forwardTsnDeliversCompleteMessagesAndDropsAbandonedOnes() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(1000);
        // SSN 0 abandoned (only its first fragment arrived), SSN 1 complete, SSN 2 complete.
        q.add(1, 3, 0, 53, false, true, false, b(1));
        q.add(3, 3, 1, 53, false, true, true, b(2));
        q.add(4, 3, 2, 53, false, true, true, b(3));
        q.add(8, 9, 0, 53, true, true, false, b(4)); // unordered fragment above the new cumulative TSN
        assertNull(q.poll());
        q.forwardTsn(2, new int[] {3}, new int[] {0});
        assertArrayEquals(b(2), q.poll().payload());
        assertArrayEquals(b(3), q.poll().payload());
        assertNull(q.poll());
        assertEquals(1, q.bufferedBytes()); // the unordered fragment at TSN 8 is kept
    }

    @Test
    void streamResetRestartsSsnsAtZero() throws Exception {
        ReassemblyQueue q = new ReassemblyQueue(1000);
        q.add(1, 2, 0, 53, false, true, true, b(1));
        q.add(2, 2, 1, 53, false, true, true, b(2));
        q.poll();
        q.poll();
        q.resetStreams(new int[] {2});
        q.add(3, 2, 0, 53, false, true, true, b(3));
        assertArrayEquals(b(3), q.poll().payload());
    }
}
