package dev.purertc.dtls;

/**
 * The anti-replay window of RFC 6347 §4.1.2.6 for one epoch: the highest sequence number received and
 * a bitmap of the 64 below it. A record is checked before it is decrypted and marked only after it
 * authenticated, so forged records cannot move the window. Not thread safe.
 */
final class ReplayWindow {
    static final int SIZE = 64;

    private long highest = -1;
    private long bitmap; // bit i set: highest - i was received

    /** True when {@code sequence} was not received yet and is not older than the window. */
    boolean isFresh(long sequence) {
        if (sequence > highest) {
            return true;
        }
        long age = highest - sequence;
        return age < SIZE && (bitmap & (1L << age)) == 0;
    }

    /** Records {@code sequence} as received (call once its record authenticated). */
    void mark(long sequence) {
        if (sequence > highest) {
            long shift = sequence - highest;
            bitmap = shift >= SIZE ? 1L : (bitmap << shift) | 1L;
            highest = sequence;
        } else {
            long age = highest - sequence;
            if (age < SIZE) {
                bitmap |= 1L << age;
            }
        }
    }
}
