package dev.purertc.channel;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Arrays that carry decrypted SCTP packets from the socket readers to the connections' loops
 * ({@link InboundBatch}). DTLS lends each record for the length of a call; the reader copies it into an
 * array from here, and the loop gives the array back once SCTP has read the packet (SCTP copies what it
 * keeps of a message into blocks of its own). Without the pool every record would cost a new array of
 * its size, about as many bytes of garbage as the data received.
 *
 * <p>One pool serves all connections of a factory, so what it holds does not grow with connections: at
 * most {@value #MAX_IDLE} idle arrays of {@value #ARRAY_SIZE} bytes (1.5 MB). A record larger than an array
 * gets an exact array of its own, which is not kept. Thread safe: readers take, loops give back.
 */
final class RecordPool {
    /** Fits a record from any path MTU in common use (an Ethernet frame's payload). */
    static final int ARRAY_SIZE = 1500;
    static final int MAX_IDLE = 1024;

    private final ArrayBlockingQueue<byte[]> idle = new ArrayBlockingQueue<>(MAX_IDLE);

    /** An array that holds at least {@code length} bytes; give it back with {@link #give}. */
    byte[] take(int length) {
        if (length > ARRAY_SIZE) {
            return new byte[length];
        }
        byte[] array = idle.poll();
        return array != null ? array : new byte[ARRAY_SIZE];
    }

    /** Returns an array from {@link #take} once nothing reads it any more (kept if there is room). */
    void give(byte[] array) {
        if (array.length == ARRAY_SIZE) {
            idle.offer(array);
        }
    }

    /** Arrays waiting to be taken again. */
    int idleCount() {
        return idle.size();
    }
}
