package dev.purertc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class InboundBatchTest {

    @Test
    void onlyTheFirstRecordOfABatchSchedulesADrainAndTakeReturnsThemInOrder() {
        InboundBatch batch = new InboundBatch();
        byte[] r1 = {1};
        byte[] r2 = {2};
        byte[] r3 = {3};
        assertTrue(batch.add(r1));
        assertFalse(batch.add(r2));
        ArrayList<byte[]> taken = batch.take();
        assertEquals(List.of(r1, r2), taken);
        assertTrue(batch.add(r3), "after a take the next record schedules again");
        batch.recycle(taken);
        assertEquals(0, taken.size());
        ArrayList<byte[]> next = batch.take();
        assertEquals(List.of(r3), next);
        assertTrue(batch.add(r1));
        assertSame(taken, batch.take(), "the recycled list is reused");
    }

    @Test
    void unscheduleKeepsTheRecordsAndLetsTheNextAddScheduleAgain() {
        InboundBatch batch = new InboundBatch();
        byte[] r1 = {1};
        byte[] r2 = {2};
        assertTrue(batch.add(r1));
        batch.unschedule();
        assertTrue(batch.add(r2));
        assertEquals(List.of(r1, r2), batch.take());
    }

    @Test
    void recordsBeyondTheCapAreDroppedAndCounted() {
        InboundBatch batch = new InboundBatch();
        for (int i = 0; i < InboundBatch.MAX_PENDING + 10; i++) {
            batch.add(new byte[] {(byte) i});
        }
        assertEquals(10, batch.dropped());
        ArrayList<byte[]> taken = batch.take();
        assertEquals(InboundBatch.MAX_PENDING, taken.size());
        assertEquals((byte) (InboundBatch.MAX_PENDING - 1), taken.get(InboundBatch.MAX_PENDING - 1)[0]);
    }
}
