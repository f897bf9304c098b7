package dev.purertc.sctp.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendQueueTest {
    private static OutgoingMessage msg(int stream, int size) {
        return new OutgoingMessage(stream, 53, new byte[size], false, -1, Long.MAX_VALUE);
    }

    @Test
    void streamsTakeTurnsPerMessageAndFragmentsOfOneMessageStayTogether() {
        SendQueue q = new SendQueue();
        q.add(msg(1, 250));
        q.add(msg(1, 10));
        q.add(msg(2, 10));
        q.add(msg(3, 10));
        List<String> order = new ArrayList<>();
        Fragment f;
        while ((f = q.produce(0, 100)) != null) {
            order.add(f.streamId() + ":" + f.ssn() + (f.beginning() ? "B" : "") + (f.ending() ? "E" : ""));
        }
        assertEquals(List.of("1:0B", "1:0", "1:0E", "2:0BE", "3:0BE", "1:1BE"), order);
        assertFalse(q.hasDataToSend());
    }

    @Test
    void bufferedAmountLowFiresOnceWhenCrossingTheThreshold() {
        SendQueue q = new SendQueue();
        q.setBufferedAmountLowThreshold(5, 100);
        q.add(msg(5, 150));
        q.add(msg(5, 50));
        assertEquals(200, q.bufferedAmount(5));
        q.produce(0, 60);
        assertNull(q.pollBufferedAmountLow()); // 140 left
        q.produce(0, 60);
        assertEquals(5, q.pollBufferedAmountLow()); // 80 left: crossed
        q.produce(0, 60);
        q.produce(0, 60);
        assertNull(q.pollBufferedAmountLow()); // already below: no second event
        assertEquals(0, q.bufferedAmount(5));
    }

    @Test
    void expiredMessagesAreDroppedBeforeTheirFirstFragment() {
        SendQueue q = new SendQueue();
        q.add(new OutgoingMessage(1, 53, new byte[10], false, -1, 100));
        q.add(msg(1, 20));
        Fragment f = q.produce(100, 1000);
        assertEquals(20, f.payload().length);
        assertEquals(0, f.ssn()); // the dropped message took no SSN
        assertEquals(1, q.expiredBeforeSending());
    }

    @Test
    void aStreamBeingResetRefusesNothingQueuedAndRestartsAtSsnZero() {
        SendQueue q = new SendQueue();
        q.add(msg(7, 10));
        q.markResetPending(7);
        assertTrue(q.isResetPending(7));
        assertFalse(q.isReadyToReset(7));
        assertEquals(0, q.produce(0, 100).ssn());
        assertTrue(q.isReadyToReset(7));
        q.completeReset(7);
        q.add(msg(7, 10));
        assertEquals(0, q.produce(0, 100).ssn());
    }
}
