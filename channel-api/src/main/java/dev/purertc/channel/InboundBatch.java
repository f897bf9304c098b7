package dev.purertc.channel;

import java.util.ArrayList;

/**
 * DTLS records on their way from the socket reader thread to the connection's loop. The reader appends
 * to a list under a monitor held for one {@code add}; the loop swaps the whole list out at once and
 * gives it back for reuse, so a burst of records costs one hand-off, no per-record node, and the
 * reader never waits for the loop's work.
 */
final class InboundBatch {

    /**
     * Records held at most while the loop is behind (about 4.7 MB of 1160-byte SCTP packets, close to the
     * default 5 MiB receive window); beyond it a flooding peer's records are dropped and SCTP recovers.
     */
    static final int MAX_PENDING = 4096;

    private long dropped;
    private ArrayList<byte[]> pending = new ArrayList<>();
    private ArrayList<byte[]> spare = new ArrayList<>();
    private boolean drainScheduled;
    /** Debug switch {@link SctpPacketRecorder#PROPERTY}: null unless on. */
    private final SctpPacketRecorder recorder = SctpPacketRecorder.forNewConnection();

    /** Reader thread: queues one record; returns true when the caller must schedule a drain. */
    synchronized boolean add(byte[] record) {
        if (recorder != null) {
            recorder.record(record);
        }
        if (pending.size() >= MAX_PENDING) {
            dropped++;
            return false; // a drain is already scheduled: the list is only this long while one is pending
        }
        pending.add(record);
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /** Loop: takes every queued record; hand the list back with {@link #recycle}. */
    synchronized ArrayList<byte[]> take() {
        ArrayList<byte[]> batch = pending;
        pending = spare != null ? spare : new ArrayList<>();
        spare = null;
        drainScheduled = false;
        return batch;
    }

    /** Loop: the records stay queued, but the next {@link #add} schedules a drain again. */
    synchronized void unschedule() {
        drainScheduled = false;
    }

    /** Loop: returns a processed list for reuse. */
    void recycle(ArrayList<byte[]> batch) {
        batch.clear();
        synchronized (this) {
            spare = batch;
        }
    }

    /** Records dropped because {@link #MAX_PENDING} were already waiting. */
    synchronized long dropped() {
        return dropped;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized void clear() {
        pending.clear();
    }
}
