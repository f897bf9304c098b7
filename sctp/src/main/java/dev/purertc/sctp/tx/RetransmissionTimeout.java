package dev.purertc.sctp.tx;

/**
 * The RTO estimator of RFC 9260 §6.3.1 (SRTT, RTTVAR, alpha 1/8, beta 1/4) with the configured
 * initial, minimum and maximum RTO, in nanoseconds. Backoff (§6.3.3 E2) doubles up to the maximum.
 */
public final class RetransmissionTimeout {
    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private long rto;
    private boolean measured;

    public RetransmissionTimeout(long initialRto, long minRto, long maxRto) {
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.rto = initialRto;
    }

    /** Adds one RTT measurement from a chunk that was never retransmitted (Karn's rule, §6.3.1 C5). */
    public void observeRtt(long rtt) {
        if (rtt < 0) {
            return;
        }
        if (!measured) {
            // C1: first measurement.
            srtt = rtt;
            rttvar = rtt / 2;
            measured = true;
        } else {
            // C2: RTTVAR = (1 - 1/4) * RTTVAR + 1/4 * |SRTT - R'|; SRTT = (1 - 1/8) * SRTT + 1/8 * R'.
            rttvar = rttvar - (rttvar >> 2) + (Math.abs(srtt - rtt) >> 2);
            srtt = srtt - (srtt >> 3) + (rtt >> 3);
        }
        // C3 (G = 0 here): RTO = SRTT + 4 * RTTVAR, clamped by C6/C7.
        rto = clamp(srtt + 4 * rttvar);
    }

    /** E2: doubles the RTO after a timer expiry, up to the maximum. */
    public void backOff() {
        rto = Math.min(maxRto, rto * 2);
    }

    public long rto() {
        return rto;
    }

    public long srtt() {
        return srtt;
    }

    public boolean hasMeasurement() {
        return measured;
    }

    private long clamp(long value) {
        return Math.max(minRto, Math.min(maxRto, value));
    }
}
