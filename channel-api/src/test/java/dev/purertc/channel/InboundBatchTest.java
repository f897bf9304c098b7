package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class InboundBatchTest {

    private static byte[] record(InboundBatch.Records records, int i) {
        return Arrays.copyOf(records.array(i), records.length(i));
    }

    private static boolean add(InboundBatch batch, byte... record) {
        return batch.add(record, 0, record.length);
    }

    @Test
    void onlyTheFirstRecordOfABatchSchedulesADrainAndTakeReturnsThemInOrder() {
        InboundBatch batch = new InboundBatch(new RecordPool());
        assertTrue(add(batch, (byte) 1));
        assertFalse(add(batch, (byte) 2, (byte) 22));
        InboundBatch.Records taken = batch.take();
        assertEquals(2, taken.size());
        assertArrayEquals(new byte[] {1}, record(taken, 0));
        assertArrayEquals(new byte[] {2, 22}, record(taken, 1));
        assertTrue(add(batch, (byte) 3), "after a take the next record schedules again");
        batch.recycle(taken);
        assertEquals(0, taken.size());
        InboundBatch.Records next = batch.take();
        assertEquals(1, next.size());
        assertArrayEquals(new byte[] {3}, record(next, 0));
        assertTrue(add(batch, (byte) 1));
        assertSame(taken, batch.take(), "the recycled list is reused");
    }

    @Test
    void aRecordIsCopiedOutOfTheLentBufferIntoAPooledArrayThatComesBackOnRecycle() {
        RecordPool pool = new RecordPool();
        InboundBatch batch = new InboundBatch(pool);
        byte[] lent = {9, 8, 7, 6, 5};
        batch.add(lent, 1, 3);
        lent[2] = 0; // the transport reuses its buffer once the call returns
        InboundBatch.Records taken = batch.take();
        assertArrayEquals(new byte[] {8, 7, 6}, record(taken, 0));
        byte[] array = taken.array(0);
        assertEquals(RecordPool.ARRAY_SIZE, array.length);
        assertNotSame(lent, array);
        batch.recycle(taken);
        assertEquals(1, pool.idleCount());
        assertSame(array, pool.take(1200), "the next record reuses the array");
        assertEquals(0, pool.idleCount());
    }

    @Test
    void aRecordLargerThanAPoolArrayGetsItsOwnArrayThatIsNotKept() {
        RecordPool pool = new RecordPool();
        InboundBatch batch = new InboundBatch(pool);
        byte[] large = new byte[RecordPool.ARRAY_SIZE + 1];
        large[RecordPool.ARRAY_SIZE] = 42;
        batch.add(large, 0, large.length);
        InboundBatch.Records taken = batch.take();
        assertArrayEquals(large, record(taken, 0));
        batch.recycle(taken);
        assertEquals(0, pool.idleCount());
    }

    @Test
    void unscheduleKeepsTheRecordsAndLetsTheNextAddScheduleAgain() {
        InboundBatch batch = new InboundBatch(new RecordPool());
        assertTrue(add(batch, (byte) 1));
        batch.unschedule();
        assertTrue(add(batch, (byte) 2));
        InboundBatch.Records taken = batch.take();
        assertEquals(2, taken.size());
        assertArrayEquals(new byte[] {1}, record(taken, 0));
        assertArrayEquals(new byte[] {2}, record(taken, 1));
    }

    @Test
    void recordsBeyondTheCapAreDroppedAndCountedAndTheirArraysGoBack() {
        RecordPool pool = new RecordPool();
        InboundBatch batch = new InboundBatch(pool);
        for (int i = 0; i < InboundBatch.MAX_PENDING + 10; i++) {
            add(batch, (byte) i);
        }
        assertEquals(10, batch.dropped());
        assertEquals(1, pool.idleCount(), "each dropped record's array went back and was taken by the next");
        InboundBatch.Records taken = batch.take();
        assertEquals(InboundBatch.MAX_PENDING, taken.size());
        int last = InboundBatch.MAX_PENDING - 1;
        assertArrayEquals(new byte[] {(byte) last}, record(taken, last));
        batch.recycle(taken);
        assertEquals(RecordPool.MAX_IDLE, pool.idleCount(), "the pool keeps at most MAX_IDLE arrays");
    }

    @Test
    void clearGivesTheQueuedArraysBack() {
        RecordPool pool = new RecordPool();
        InboundBatch batch = new InboundBatch(pool);
        add(batch, (byte) 1);
        add(batch, (byte) 2);
        batch.clear();
        assertEquals(0, batch.pendingCount());
        assertEquals(2, pool.idleCount());
    }
}
