package dev.purertc.sctp.tx;

import dev.purertc.sctp.common.SerialNumbers;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Messages the user has sent that were not yet (fully) fragmented into DATA chunks: one FIFO per
 * stream, and a round-robin scheduler that picks the next stream per message (all fragments of one
 * message get consecutive TSNs, RFC 9260 §6.9, so a message is finished before switching).
 *
 * <p>Buffered amount per stream counts payload bytes not yet handed to the retransmission queue; a
 * drop from above the stream's low threshold to at or below it is reported once through
 * {@link #pollBufferedAmountLow()}. Streams being reset (RFC 6525) refuse new messages and report
 * when their queue is drained. Not thread safe: owned by one association.
 */
public final class SendQueue {
    private static final class OutStream {
        final int id;
        final ArrayDeque<OutgoingMessage> queue = new ArrayDeque<>();
        int nextSsn;
        long buffered;
        long lowThreshold;
        boolean resetPending;
        boolean scheduled;

        OutStream(int id) {
            this.id = id;
        }
    }

    private final Map<Integer, OutStream> streams = new HashMap<>();
    private final ArrayDeque<OutStream> roundRobin = new ArrayDeque<>();
    private final ArrayDeque<Integer> bufferedAmountLow = new ArrayDeque<>();
    private OutStream current;
    private long totalBuffered;
    private long expiredBeforeSending;

    private OutStream stream(int id) {
        OutStream s = streams.get(id);
        if (s == null) {
            s = new OutStream(id);
            streams.put(id, s);
        }
        return s;
    }

    /** Messages whose lifetime ended before any of it was sent (RFC 3758 §3.1); they were dropped. */
    public long expiredBeforeSending() {
        return expiredBeforeSending;
    }

    /** Total payload bytes not yet handed to the retransmission queue. */
    public long totalBufferedAmount() {
        return totalBuffered;
    }

    public long bufferedAmount(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null ? 0 : s.buffered;
    }

    public void setBufferedAmountLowThreshold(int streamId, long threshold) {
        stream(streamId).lowThreshold = threshold;
    }

    public long bufferedAmountLowThreshold(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null ? 0 : s.lowThreshold;
    }

    /** Whether new messages on the stream are refused because its outgoing side is being reset. */
    public boolean isResetPending(int streamId) {
        OutStream s = streams.get(streamId);
        return s != null && s.resetPending;
    }

    /** Queues a message. The caller has checked size limits and stream state. */
    public void add(OutgoingMessage message) {
        OutStream s = stream(message.streamId);
        s.queue.add(message);
        s.buffered += message.payload.length;
        totalBuffered += message.payload.length;
        if (!s.scheduled) {
            s.scheduled = true;
            roundRobin.add(s);
        }
    }

    /**
     * Bytes left of the message the next fragment comes from (the one being fragmented, or the head
     * of the next stream in turn); 0 when nothing is queued.
     */
    public int nextMessageRemaining() {
        OutStream s = current != null ? current : roundRobin.peek();
        if (s == null || s.queue.isEmpty()) {
            return 0;
        }
        OutgoingMessage m = s.queue.peek();
        return m.payload.length - m.offset;
    }

    /** True when a fragment can be produced. */
    public boolean hasDataToSend() {
        return current != null || !roundRobin.isEmpty();
    }

    /**
     * Produces the next fragment of at most {@code maxPayload} bytes, or null when nothing is queued.
     * The fragment is a view of the message's array (no copy).
     * Messages whose lifetime expired before any fragment was sent are dropped here (RFC 3758 §3.1).
     */
    public Fragment produce(long now, int maxPayload) {
        while (true) {
            OutStream s = current;
            if (s == null) {
                s = roundRobin.poll();
                if (s == null) {
                    return null;
                }
                s.scheduled = false;
                if (s.queue.isEmpty()) {
                    continue;
                }
            }
            OutgoingMessage m = s.queue.peek();
            if (m.offset == 0) {
                if (now >= m.expiresAt) {
                    expiredBeforeSending++;
                    s.queue.poll();
                    consumed(s, m.payload.length);
                    rescheduleAfterMessage(s);
                    continue;
                }
                if (!m.unordered) {
                    m.ssn = s.nextSsn;
                    s.nextSsn = SerialNumbers.add16(s.nextSsn, 1);
                }
            }
            int len = Math.min(maxPayload, m.payload.length - m.offset);
            int partOffset = m.offset;
            boolean beginning = m.offset == 0;
            m.offset += len;
            boolean ending = m.offset >= m.payload.length;
            consumed(s, len);
            if (ending) {
                s.queue.poll();
                rescheduleAfterMessage(s);
            } else {
                current = s;
            }
            return new Fragment(m, s.id, m.ssn, m.ppid, m.unordered, beginning, ending, m.payload, partOffset, len);
        }
    }

    private void rescheduleAfterMessage(OutStream s) {
        current = null;
        if (!s.queue.isEmpty() && !s.scheduled) {
            s.scheduled = true;
            roundRobin.add(s);
        }
    }

    private void consumed(OutStream s, long bytes) {
        long before = s.buffered;
        s.buffered -= bytes;
        totalBuffered -= bytes;
        if (before > s.lowThreshold && s.buffered <= s.lowThreshold) {
            bufferedAmountLow.add(s.id);
        }
    }

    /** Stream ids whose buffered amount fell to or below their low threshold, one per crossing. */
    public Integer pollBufferedAmountLow() {
        return bufferedAmountLow.poll();
    }

    /**
     * Drops the unsent rest of an abandoned message (RFC 3758 §3.5 A2): when it is being fragmented,
     * the remaining bytes will never get TSNs; the receiver drops the partial message on FORWARD TSN.
     */
    public void abandon(OutgoingMessage message) {
        message.abandoned = true;
        OutStream s = streams.get(message.streamId);
        if (s == null || message.offset >= message.payload.length) {
            return;
        }
        if (s.queue.peek() == message) {
            int rest = message.payload.length - message.offset;
            message.offset = message.payload.length;
            s.queue.poll();
            consumed(s, rest);
            if (current == s) {
                rescheduleAfterMessage(s);
            }
        }
    }

    /** Starts resetting a stream's outgoing side: new messages are refused, queued ones still go. */
    public void markResetPending(int streamId) {
        stream(streamId).resetPending = true;
    }

    /** True when the stream is being reset and all its queued messages were handed on. */
    public boolean isReadyToReset(int streamId) {
        OutStream s = streams.get(streamId);
        return s == null || (s.queue.isEmpty() && current != s);
    }

    /** Completes an outgoing stream reset (RFC 6525 §5.1.2): the next message gets SSN 0. */
    public void completeReset(int streamId) {
        OutStream s = streams.get(streamId);
        if (s != null) {
            s.nextSsn = 0;
            s.resetPending = false;
        }
    }

    /** Aborts a pending reset (the peer denied it); the stream accepts messages again. */
    public void cancelReset(int streamId) {
        OutStream s = streams.get(streamId);
        if (s != null) {
            s.resetPending = false;
        }
    }

    /** Restart (RFC 9260 §5.2.4 case A): SSNs restart at 0, queued messages stay. */
    public void resetAllSsns() {
        for (OutStream s : streams.values()) {
            s.nextSsn = 0;
        }
    }
}
