package dev.purertc.sctp.tx;

import java.util.Arrays;

/**
 * TSNs above the cumulative ack that the peer has reported received in gap ack blocks
 * (RFC 9260 §3.3.4), kept as sorted, disjoint, non-adjacent ranges of unwrapped TSNs.
 *
 * <p>A SACK repeats every gap block the receiver still holds, so a sender that walked every reported
 * TSN on every SACK would pay for the whole outstanding window per SACK. With the ranges already known,
 * {@link RetransmissionQueue} visits only TSNs a SACK newly acknowledges and the holes between ranges.
 * Reneging (a block that disappears) is not honoured, as before: acked chunks stay acked. Not thread
 * safe: owned by one retransmission queue.
 */
final class AckedRanges {
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private int count;

    int count() {
        return count;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    /** Index of the first range whose end is at or above {@code tsn}, or {@link #count()} if none. */
    int firstEndingAtOrAbove(long tsn) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] < tsn) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Forgets every TSN at or below {@code tsn} (the cumulative ack moved there). */
    void removeThrough(long tsn) {
        int i = firstEndingAtOrAbove(tsn + 1);
        if (i > 0) {
            System.arraycopy(starts, i, starts, 0, count - i);
            System.arraycopy(ends, i, ends, 0, count - i);
            count -= i;
        }
        if (count > 0 && starts[0] <= tsn) {
            starts[0] = tsn + 1;
        }
    }

    /** Adds [start, end], merging with overlapping or adjacent ranges. */
    void add(long start, long end) {
        if (start > end) {
            return;
        }
        int first = firstEndingAtOrAbove(start - 1); // first range that overlaps or touches
        int last = first;
        while (last < count && starts[last] <= end + 1) {
            last++;
        }
        // ranges [first, last) merge with the new one
        if (first == last) {
            ensureRoom();
            System.arraycopy(starts, first, starts, first + 1, count - first);
            System.arraycopy(ends, first, ends, first + 1, count - first);
            starts[first] = start;
            ends[first] = end;
            count++;
            return;
        }
        long mergedStart = Math.min(start, starts[first]);
        long mergedEnd = Math.max(end, ends[last - 1]);
        starts[first] = mergedStart;
        ends[first] = mergedEnd;
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(starts, last, starts, first + 1, count - last);
            System.arraycopy(ends, last, ends, first + 1, count - last);
            count -= removed;
        }
    }

    private void ensureRoom() {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
    }

    void clear() {
        count = 0;
    }
}
