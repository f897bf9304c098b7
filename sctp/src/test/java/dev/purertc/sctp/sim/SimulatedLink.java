package dev.purertc.sctp.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * One direction of a simulated network path. A packet handed to {@link #send} is checked against the
 * MTU, may be lost, waits in a drop-tail FIFO for the bandwidth limit, then travels for the delay
 * (plus jitter, plus the reorder delay for the unlucky ones) and may arrive twice. The FIFO is bounded
 * in bytes and in datagrams, so it also stands for a receiver's socket buffer drained at the bandwidth. Nothing happens on
 * its own: the caller polls {@link #nextDeliveryTime()} and collects arrivals with
 * {@link #deliverUntil(long)}, on a {@link VirtualClock}.
 *
 * <p>Deterministic: the same configuration (seed included) and the same calls give the same
 * deliveries. Exactly four random numbers are drawn per packet that passes the MTU check, whatever the
 * rates, so enabling one impairment does not reshuffle another. Not thread-safe.
 */
public final class SimulatedLink {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LinkConfig config;
    private final Random random;
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    /** Departure times and sizes of packets still queued or being serialized. */
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long transmitterFreeAt = Long.MIN_VALUE;
    private long lastTime = Long.MIN_VALUE;
    private long sequence;
    /** Added to the configured delay from now on: the path got longer (a route or ICE pair changed). */
    private long extraDelayNanos;

    private long packetsSent;
    private long bytesSent;
    private long droppedByMtu;
    private long droppedByLoss;
    private long droppedByQueue;
    private long reordered;
    private long duplicated;
    private long delivered;
    private long bytesDelivered;

    private record InFlight(long arrival, long sequence, byte[] packet) implements Comparable<InFlight> {
        @Override
        public int compareTo(InFlight other) {
            int byTime = Long.compare(arrival, other.arrival);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    public SimulatedLink(LinkConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    public LinkConfig config() {
        return config;
    }

    /** From now on packets take {@code nanos} longer than the configured delay (a longer path). */
    public void setExtraDelay(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("extra delay " + nanos);
        }
        extraDelayNanos = nanos;
    }

    /**
     * Offers a packet to the link at time {@code now} (not earlier than any time used before). The
     * bytes are copied, so the caller may reuse the array.
     */
    public void send(byte[] packet, long now) {
        checkTime(now);
        packetsSent++;
        bytesSent += packet.length;
        if (packet.length > config.mtu()) {
            droppedByMtu++;
            return;
        }
        boolean lost = random.nextDouble() < config.lossRate();
        boolean reorder = random.nextDouble() < config.reorderRate();
        boolean duplicate = random.nextDouble() < config.duplicateRate();
        long jitter = config.jitterNanos() == 0 ? 0 : (long) (random.nextDouble() * (config.jitterNanos() + 1));
        if (lost) {
            droppedByLoss++;
            return;
        }
        long departure = now;
        if (config.bandwidthBitsPerSecond() > 0) {
            drainQueue(now);
            if (queuedBytes + packet.length > config.maxQueueBytes() || queue.size() >= config.maxQueuePackets()) {
                droppedByQueue++;
                return;
            }
            long start = Math.max(now, transmitterFreeAt);
            departure = start + serializationNanos(packet.length);
            transmitterFreeAt = departure;
            queue.addLast(new long[] {departure, packet.length});
            queuedBytes += packet.length;
        }
        long arrival = departure + config.delayNanos() + extraDelayNanos + jitter;
        if (reorder) {
            reordered++;
            arrival += config.reorderExtraDelayNanos();
        }
        inFlight.add(new InFlight(arrival, sequence++, packet.clone()));
        if (duplicate) {
            duplicated++;
            inFlight.add(new InFlight(arrival, sequence++, packet.clone()));
        }
    }

    /** Nanoseconds to clock {@code bytes} onto the wire, rounded up. */
    private long serializationNanos(int bytes) {
        long bits = 8L * bytes;
        return (bits * NANOS_PER_SECOND + config.bandwidthBitsPerSecond() - 1) / config.bandwidthBitsPerSecond();
    }

    private void drainQueue(long now) {
        while (!queue.isEmpty() && queue.peekFirst()[0] <= now) {
            queuedBytes -= queue.pollFirst()[1];
        }
    }

    /** Arrival time of the next packet, or {@link Long#MAX_VALUE} if none is in flight. */
    public long nextDeliveryTime() {
        InFlight next = inFlight.peek();
        return next == null ? Long.MAX_VALUE : next.arrival();
    }

    /** Removes and returns, in arrival order, every packet that has arrived by {@code now}. */
    public List<byte[]> deliverUntil(long now) {
        checkTime(now);
        List<byte[]> arrived = new ArrayList<>();
        while (!inFlight.isEmpty() && inFlight.peek().arrival() <= now) {
            byte[] packet = inFlight.poll().packet();
            delivered++;
            bytesDelivered += packet.length;
            arrived.add(packet);
        }
        return arrived;
    }

    private void checkTime(long now) {
        if (now < lastTime) {
            throw new IllegalArgumentException("time went back from " + lastTime + " to " + now + " on " + this);
        }
        lastTime = now;
    }

    /** Packets (copies included) currently travelling. */
    public int inFlightCount() {
        return inFlight.size();
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long droppedByMtu() {
        return droppedByMtu;
    }

    public long droppedByLoss() {
        return droppedByLoss;
    }

    public long droppedByQueue() {
        return droppedByQueue;
    }

    /** Packets held back by the reorder delay. */
    public long reordered() {
        return reordered;
    }

    /** Extra copies scheduled by duplication. */
    public long duplicated() {
        return duplicated;
    }

    public long delivered() {
        return delivered;
    }

    public long bytesDelivered() {
        return bytesDelivered;
    }

    @Override
    public String toString() {
        return "SimulatedLink[seed=" + config.seed() + ", " + config + ", sent=" + packetsSent + ", lost=" + droppedByLoss
                + ", queueDrops=" + droppedByQueue + ", mtuDrops=" + droppedByMtu + ", reordered=" + reordered
                + ", duplicated=" + duplicated + ", delivered=" + delivered + "]";
    }
}
