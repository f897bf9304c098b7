package dev.purertc.sctp.tx;

/**
 * Stops the congestion window from growing once the round trip shows a standing queue, and shrinks it
 * while that queue keeps growing: the delay signal of TCP Vegas and of HyStart++ (RFC 9406), applied to
 * SCTP's loss-based window (RFC 9260 §7.2), which alone grows until a packet is dropped.
 *
 * <p>Why: toward a browser on a fast path the bottleneck is the browser itself. Chromium's UDP socket
 * holds 128 KiB (about 56 datagrams of 1,200 bytes), and its receive pipeline gets slower as more of our
 * data waits in it: measured PureRTC to Chromium on loopback, a window held at 18 KB moved 12.5 MB/s with
 * a 1.4 ms round trip, one held at 45 KB 8.7 MB/s at 5 ms, and the loss-based window (60-98 KB, with a
 * fast recovery every 6 MB) 8.2 MB/s. The extra window only adds queueing delay and losses.
 *
 * <p>The base round trip is the smallest RTT sample of the last two windows of {@value #MIN_RTT_WINDOW_NANOS}
 * ns, so it follows a path that changes. The queueing delay is SRTT minus that base; the limit is the base
 * itself (the queue may hold one base round trip, as BBR's window gain of 2 allows) but never less than
 * {@value #FLOOR_NANOS} ns, so scheduling jitter on a sub-millisecond path does not count as a queue.
 * Above the limit the window stops growing (and slow start ends); above twice the limit it shrinks by one
 * MTU per round trip, never below 4 MTUs (RFC 9260's floor after a loss).
 *
 * <p>A queue that stays above twice the limit for a whole round trip with the window at those 4 MTUs is
 * not ours to drain: the path got longer (ICE moved to another pair, a route changed) or other flows keep
 * the bottleneck's buffer full. The base is then measured again from the next sample and slow start probes
 * the path again ({@link #takeRebase()}), instead of the window being held at 4 MTUs until the old base
 * ages out, or yielding every byte to loss-based flows.
 *
 * <p>Not thread safe: owned by one association's retransmission queue.
 */
public final class QueueDelayLimit {
    static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
    static final long FLOOR_NANOS = 1_000_000L;

    private long currentMin = Long.MAX_VALUE;
    private long previousMin = Long.MAX_VALUE;
    private long windowStart = Long.MIN_VALUE;
    private long lastDecrease = Long.MIN_VALUE;
    /** Since when the window has sat at the floor above twice the limit, or MIN_VALUE. */
    private long atFloorSince = Long.MIN_VALUE;
    private long rebases;
    /** Set by a rebase until {@link #takeRebase()}: the window should probe the path again. */
    private boolean rebasePending;

    /** One RTT sample (RFC 9260 §6.3.1 C5: from a chunk sent once) taken at {@code now}. */
    public void onRttSample(long rttNanos, long now) {
        if (rttNanos < 0) {
            return;
        }
        if (windowStart == Long.MIN_VALUE) {
            windowStart = now;
        } else if (now - windowStart >= MIN_RTT_WINDOW_NANOS) {
            previousMin = currentMin;
            currentMin = Long.MAX_VALUE;
            windowStart = now;
        }
        currentMin = Math.min(currentMin, rttNanos);
    }

    /** Forgets the base round trip: the next sample starts it again. */
    private void rebase() {
        currentMin = Long.MAX_VALUE;
        previousMin = Long.MAX_VALUE;
        windowStart = Long.MIN_VALUE;
        atFloorSince = Long.MIN_VALUE;
        rebases++;
        rebasePending = true;
    }

    /**
     * True once after the base was measured again: the path is not the one the window was fitted to, so
     * the caller lets slow start probe it again (as after an idle period, RFC 9260 §7.2.1).
     */
    public boolean takeRebase() {
        boolean pending = rebasePending;
        rebasePending = false;
        return pending;
    }

    /** Times the base was measured again because the queue outlasted a window at the floor. */
    public long rebases() {
        return rebases;
    }

    /** The base round trip, or -1 before the first sample. */
    public long minRtt() {
        long min = Math.min(currentMin, previousMin);
        return min == Long.MAX_VALUE ? -1 : min;
    }

    private long queueingDelay(long srttNanos) {
        long min = minRtt();
        return min < 0 || srttNanos <= 0 ? 0 : srttNanos - min;
    }

    private long limit() {
        return Math.max(FLOOR_NANOS, minRtt());
    }

    /** True when SRTT shows a queue of more than the limit: the window must not grow. */
    public boolean queueBuilt(long srttNanos) {
        return queueingDelay(srttNanos) > limit();
    }

    /**
     * The window after a SACK at {@code now}: one MTU smaller, at most once per SRTT, while the queue is
     * more than twice the limit; otherwise unchanged.
     */
    public long shrink(long cwnd, long srttNanos, int mtu, long now) {
        if (queueingDelay(srttNanos) <= 2 * limit()) {
            atFloorSince = Long.MIN_VALUE;
            return cwnd;
        }
        if (cwnd <= 4L * mtu) {
            if (atFloorSince == Long.MIN_VALUE) {
                atFloorSince = now;
            } else if (now - atFloorSince >= srttNanos) {
                rebase();
            }
            return cwnd;
        }
        atFloorSince = Long.MIN_VALUE;
        if (lastDecrease != Long.MIN_VALUE && now - lastDecrease < srttNanos) {
            return cwnd;
        }
        lastDecrease = now;
        return Math.max(4L * mtu, cwnd - mtu);
    }
}
