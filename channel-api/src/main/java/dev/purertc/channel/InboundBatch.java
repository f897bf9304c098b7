package dev.purertc.channel;

import java.util.Arrays;

/**
 * DTLS records on their way from the socket reader thread to the connection's loop. The reader copies
 * each record into an array of the factory's {@link RecordPool} and appends it under a monitor held for
 * one {@code add}; the loop swaps the whole list out at once and gives it back for reuse, returning the
 * arrays to the pool, so a burst of records costs one hand-off, no per-record node or array, and the
 * reader never waits for the loop's work.
 */
final class InboundBatch {

    /**
     * Records held at most while the loop is behind (about 4.7 MB of 1160-byte SCTP packets, close to the
     * default 5 MiB receive window); beyond it a flooding peer's records are dropped and SCTP recovers.
     */
    static final int MAX_PENDING = 4096;

    /** Records in arrival order: bytes {@code [0, length(i))} of {@code array(i)}, an array of the pool. */
    static final class Records {
        private byte[][] arrays = new byte[8][];
        private int[] lengths = new int[8];
        private int size;

        int size() {
            return size;
        }

        byte[] array(int i) {
            return arrays[i];
        }

        int length(int i) {
            return lengths[i];
        }

        private void add(byte[] array, int length) {
            if (size == arrays.length) {
                arrays = Arrays.copyOf(arrays, size * 2);
                lengths = Arrays.copyOf(lengths, size * 2);
            }
            arrays[size] = array;
            lengths[size] = length;
            size++;
        }

        /** Gives every array back to the pool and empties the list (its capacity stays). */
        private void release(RecordPool pool) {
            for (int i = 0; i < size; i++) {
                pool.give(arrays[i]);
                arrays[i] = null;
            }
            size = 0;
        }
    }

    private final RecordPool pool;
    private long dropped;
    private Records pending = new Records();
    private Records spare = new Records();
    private boolean drainScheduled;
    /** Debug switch {@link SctpPacketRecorder#PROPERTY}: null unless on. */
    private final SctpPacketRecorder recorder = SctpPacketRecorder.forNewConnection();

    InboundBatch(RecordPool pool) {
        this.pool = pool;
    }

    /**
     * Reader thread: queues a copy of bytes {@code [offset, offset + length)} of {@code buffer} (which the
     * caller may reuse at once); returns true when the caller must schedule a drain.
     */
    boolean add(byte[] buffer, int offset, int length) {
        byte[] copy = pool.take(length);
        System.arraycopy(buffer, offset, copy, 0, length);
        synchronized (this) {
            if (recorder != null) {
                recorder.record(copy, length);
            }
            if (pending.size() >= MAX_PENDING) {
                dropped++;
                pool.give(copy);
                return false; // a drain is already scheduled: the list is only this long while one is pending
            }
            pending.add(copy, length);
            if (drainScheduled) {
                return false;
            }
            drainScheduled = true;
            return true;
        }
    }

    /** Loop: takes every queued record; hand the list back with {@link #recycle} once they are read. */
    synchronized Records take() {
        Records batch = pending;
        pending = spare != null ? spare : new Records();
        spare = null;
        drainScheduled = false;
        return batch;
    }

    /** Loop: the records stay queued, but the next {@link #add} schedules a drain again. */
    synchronized void unschedule() {
        drainScheduled = false;
    }

    /** Loop: returns a processed list for reuse and its arrays to the pool; the records must not be read again. */
    void recycle(Records batch) {
        batch.release(pool);
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

    /** Drops every queued record (their arrays go back to the pool). */
    synchronized void clear() {
        pending.release(pool);
    }
}
