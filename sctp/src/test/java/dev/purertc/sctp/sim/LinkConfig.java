package dev.purertc.sctp.sim;

/**
 * How a {@link SimulatedLink} treats packets, in the spirit of Linux netem. Rates are probabilities
 * in [0, 1] drawn per packet; times are nanoseconds.
 *
 * @param lossRate               probability a packet is lost
 * @param duplicateRate          probability a delivered packet arrives twice
 * @param reorderRate            probability a packet is held back by {@code reorderExtraDelayNanos},
 *                               letting later packets overtake it
 * @param reorderExtraDelayNanos extra delay of a reordered packet
 * @param delayNanos             one-way propagation delay
 * @param jitterNanos            extra delay drawn uniformly from [0, jitterNanos] per packet
 * @param bandwidthBitsPerSecond serialization rate; 0 means unlimited (no queueing)
 * @param maxQueueBytes          bytes the FIFO in front of the bandwidth limit holds (drop-tail),
 *                               counting the packet being transmitted
 * @param mtu                    packets longer than this are dropped
 * @param seed                   seed of the link's random numbers
 * @param maxQueuePackets        datagrams the FIFO holds (drop-tail), counting the one being transmitted:
 *                               with the bandwidth as the reader's pace, a receiver's socket buffer
 *                               (Chromium's holds about 100 datagrams at the default 212,992 bytes)
 */
public record LinkConfig(double lossRate, double duplicateRate, double reorderRate, long reorderExtraDelayNanos,
        long delayNanos, long jitterNanos, long bandwidthBitsPerSecond, int maxQueueBytes, int mtu, long seed,
        int maxQueuePackets) {

    public LinkConfig {
        checkRate("lossRate", lossRate);
        checkRate("duplicateRate", duplicateRate);
        checkRate("reorderRate", reorderRate);
        checkNotNegative("reorderExtraDelayNanos", reorderExtraDelayNanos);
        checkNotNegative("delayNanos", delayNanos);
        checkNotNegative("jitterNanos", jitterNanos);
        checkNotNegative("bandwidthBitsPerSecond", bandwidthBitsPerSecond);
        checkNotNegative("maxQueueBytes", maxQueueBytes);
        checkNotNegative("mtu", mtu);
        checkNotNegative("maxQueuePackets", maxQueuePackets);
    }

    /** A link that delivers everything instantly, in order. */
    public static LinkConfig perfect() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().lossRate(lossRate).duplicateRate(duplicateRate).reorderRate(reorderRate)
                .reorderExtraDelayNanos(reorderExtraDelayNanos).delayNanos(delayNanos).jitterNanos(jitterNanos)
                .bandwidthBitsPerSecond(bandwidthBitsPerSecond).maxQueueBytes(maxQueueBytes).mtu(mtu).seed(seed)
                .maxQueuePackets(maxQueuePackets);
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " " + rate + " is not in [0, 1]");
        }
    }

    private static void checkNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " " + value + " is negative");
        }
    }

    /** Defaults: no loss, duplication or reordering, no delay, unlimited bandwidth, queue and MTU, seed 1. */
    public static final class Builder {
        private double lossRate;
        private double duplicateRate;
        private double reorderRate;
        private long reorderExtraDelayNanos;
        private long delayNanos;
        private long jitterNanos;
        private long bandwidthBitsPerSecond;
        private int maxQueueBytes = Integer.MAX_VALUE;
        private int mtu = Integer.MAX_VALUE;
        private long seed = 1;
        private int maxQueuePackets = Integer.MAX_VALUE;

        private Builder() {
        }

        public Builder lossRate(double lossRate) {
            this.lossRate = lossRate;
            return this;
        }

        public Builder duplicateRate(double duplicateRate) {
            this.duplicateRate = duplicateRate;
            return this;
        }

        public Builder reorderRate(double reorderRate) {
            this.reorderRate = reorderRate;
            return this;
        }

        public Builder reorderExtraDelayNanos(long nanos) {
            this.reorderExtraDelayNanos = nanos;
            return this;
        }

        public Builder delayNanos(long nanos) {
            this.delayNanos = nanos;
            return this;
        }

        public Builder jitterNanos(long nanos) {
            this.jitterNanos = nanos;
            return this;
        }

        public Builder bandwidthBitsPerSecond(long bitsPerSecond) {
            this.bandwidthBitsPerSecond = bitsPerSecond;
            return this;
        }

        public Builder maxQueueBytes(int bytes) {
            this.maxQueueBytes = bytes;
            return this;
        }

        public Builder mtu(int mtu) {
            this.mtu = mtu;
            return this;
        }

        public Builder maxQueuePackets(int packets) {
            this.maxQueuePackets = packets;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public LinkConfig build() {
            return new LinkConfig(lossRate, duplicateRate, reorderRate, reorderExtraDelayNanos, delayNanos, jitterNanos,
                    bandwidthBitsPerSecond, maxQueueBytes, mtu, seed, maxQueuePackets);
        }
    }
}
