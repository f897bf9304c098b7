package dev.purertc.sctp.tx;

/**
 * Spreads DATA packets over the round trip instead of sending a window at once: a token bucket
 * filled at about cwnd / SRTT, holding a burst allowance (or 250 us of sending at the current rate
 * when that is more, at most 64 KiB). RFC 9260 §6.1 / §7.2 leave the
 * burst shape to the sender (Max.Burst is only a ceiling); RFC 9002 §7.7 describes the pacing QUIC
 * stacks use, and Linux TCP paces the same way (rate = gain x cwnd / SRTT).
 *
 * <p>Why: a receiver's socket buffer is a queue of datagrams (Chromium's holds about 100 at the
 * default 212,992 bytes). A window sent at memory speed arrives as one burst; whatever does not fit
 * is dropped, the sender sees gap reports, fast-retransmits and halves cwnd. Paced, the same window
 * arrives as a stream the receiver keeps up with, so the queue only grows when cwnd really exceeds
 * what the path holds.
 *
 * <p>The rate uses a gain above 1 ({@value #SLOW_START_GAIN_PERCENT}% in slow start so the window can
 * still double each round trip, {@value #CONGESTION_AVOIDANCE_GAIN_PERCENT}% after, as RFC 9002 §7.7
 * and Linux do): pacing shapes bursts, cwnd still decides how much is in flight. Without an RTT
 * measurement, or with an SRTT of zero, nothing is paced (cwnd and Max.Burst alone apply).
 *
 * <p>All times are nanoseconds on the association's clock. Not thread safe: owned by one association.
 */
public final class Pacer {
    static final int SLOW_START_GAIN_PERCENT = 200;
    static final int CONGESTION_AVOIDANCE_GAIN_PERCENT = 125;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long MAX_BYTES_PER_SECOND = 1L << 40;
    /** Paced packets leave in bursts of about this much sending time (see {@link #nextSendTime}). */
    static final long QUANTUM_NANOS = 250_000L;
    /** The largest bucket, as one 64 KiB TSO/GSO segment bounds Linux's paced bursts. */
    static final long MAX_QUANTUM_BYTES = 64 * 1024;

    /** The configured allowance: the bucket never holds less (and holds this before an RTT is known). */
    private final long burstBytes;
    /** The bucket: the allowance, or about one quantum of sending at the current rate when that is more. */
    private long bucketBytes;
    /** Bytes that may leave now; refilled by {@link #refill} at {@link #bytesPerSecond}. */
    private long tokens;
    /** Fractional bytes carried between refills (in units of 1/NANOS_PER_SECOND byte), so rounding never starves the bucket. */
    private long tokenRemainder;
    private long lastRefill = Long.MIN_VALUE;
    /** 0 = not pacing (no RTT yet): every packet may leave. */
    private long bytesPerSecond;
    private long packetsDelayed;

    /** @param burstBytes the fewest bytes the bucket holds (the allowance), also what it holds at start */
    public Pacer(long burstBytes) {
        if (burstBytes <= 0) {
            throw new IllegalArgumentException("burstBytes " + burstBytes);
        }
        this.burstBytes = burstBytes;
        this.bucketBytes = burstBytes;
        this.tokens = burstBytes;
    }

    /**
     * Sets the rate from the congestion state: gain x cwnd / SRTT. Call before deciding what to send.
     * @param srttNanos the smoothed RTT (RFC 9260 §6.3.1), or 0 / negative when none was measured
     */
    public void updateRate(long cwndBytes, long srttNanos, boolean slowStart, long now) {
        refill(now);
        if (srttNanos <= 0 || cwndBytes <= 0) {
            bytesPerSecond = 0;
            bucketBytes = burstBytes;
            return;
        }
        int gain = slowStart ? SLOW_START_GAIN_PERCENT : CONGESTION_AVOIDANCE_GAIN_PERCENT;
        // cwnd (< 2^32) x 10^9 x gain (< 2^8) fits a long; the division by SRTT comes last.
        // Capped at 2^40 bytes/s (no path is that fast) so refill's products stay within a long.
        bytesPerSecond = Math.max(1, Math.min(MAX_BYTES_PER_SECOND,
                cwndBytes * NANOS_PER_SECOND / 100 * gain / srttNanos));
        // At high rates a bucket of a few packets would make the driver's timer the limit (a wake-up
        // late by 100 us costs 100 us of sending): the bucket holds a quantum of sending, up to 64 KiB,
        // as Linux lets a paced burst carry its quantum of data up to one 64 KiB TSO segment.
        bucketBytes = Math.max(burstBytes, Math.min(MAX_QUANTUM_BYTES, quantumBytes()));
        tokens = Math.min(tokens, bucketBytes);
    }

    /** True when a packet of {@code bytes} may leave at {@code now}. */
    public boolean canSend(int bytes, long now) {
        if (bytesPerSecond == 0) {
            return true;
        }
        refill(now);
        // A packet larger than what is left goes once the bucket holds a whole packet's worth or is
        // full, so a burst allowance smaller than the packet still lets packets through.
        return tokens >= Math.min(bytes, bucketBytes);
    }

    /** Records that a packet of {@code bytes} left at {@code now} (it may drive the bucket negative). */
    public void onSent(int bytes, long now) {
        refill(now);
        tokens -= bytes;
    }

    /** Counts a moment where data was ready but held back by the pacer (statistics). */
    public void onDelayed() {
        packetsDelayed++;
    }

    /**
     * When the driver should wake up to send held-back packets of {@code bytes}: once the bucket holds
     * a quantum, about {@value #QUANTUM_NANOS} ns of sending at the current rate (at least one packet, at
     * most the bucket), in the way Linux TCP sizes its paced bursts (tcp_tso_autosize, 1 ms at the
     * pacing rate). A wake-up per packet would cost a timer and a thread wake each on a real event loop.
     * The quantum is a quarter of Linux's: a few wake-up latencies of an event loop, while toward
     * Chromium 1 ms bursts (up to 64 KiB, 55 datagrams) brought back gap reports in 5-12 % of its SACKs
     * against 4 % with 250 us.
     * Returns {@code now} when a packet may leave at once.
     */
    public long nextSendTime(int bytes, long now) {
        if (bytesPerSecond == 0) {
            return now;
        }
        refill(now);
        long quantum = Math.max(Math.min(bytes, bucketBytes), Math.min(bucketBytes, quantumBytes()));
        if (tokens >= Math.min(bytes, bucketBytes)) {
            return now;
        }
        long missing = quantum - tokens;
        if (missing <= 0) {
            return now;
        }
        // Round up so the bucket holds the packet's worth when the deadline comes.
        long scaledMissing = missing * NANOS_PER_SECOND - tokenRemainder;
        return now + (scaledMissing + bytesPerSecond - 1) / bytesPerSecond;
    }

    /** Bytes sent in {@link #QUANTUM_NANOS} at the current rate. */
    private long quantumBytes() {
        return bytesPerSecond / (NANOS_PER_SECOND / QUANTUM_NANOS);
    }

    private void refill(long now) {
        if (lastRefill == Long.MIN_VALUE || now <= lastRefill) {
            if (lastRefill == Long.MIN_VALUE) {
                lastRefill = now;
            }
            return;
        }
        long elapsed = now - lastRefill;
        lastRefill = now;
        if (tokens >= bucketBytes) {
            tokenRemainder = 0;
            return;
        }
        if (bytesPerSecond == 0) {
            tokens = bucketBytes;
            tokenRemainder = 0;
            return;
        }
        // Bound the product: an idle period longer than the time to fill the bucket fills it.
        long fillNanos = ((bucketBytes - tokens) * NANOS_PER_SECOND) / bytesPerSecond + 1;
        if (elapsed >= fillNanos) {
            tokens = bucketBytes;
            tokenRemainder = 0;
            return;
        }
        long scaled = elapsed * bytesPerSecond + tokenRemainder;
        tokens = Math.min(bucketBytes, tokens + scaled / NANOS_PER_SECOND);
        tokenRemainder = tokens == bucketBytes ? 0 : scaled % NANOS_PER_SECOND;
    }

    /** Bytes that may leave back to back at most now (the bucket's size). */
    public long bucketBytes() {
        return bucketBytes;
    }

    /** Current pacing rate in bytes per second; 0 while not pacing. */
    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Times data was ready but waited for the pacer. */
    public long packetsDelayed() {
        return packetsDelayed;
    }
}
