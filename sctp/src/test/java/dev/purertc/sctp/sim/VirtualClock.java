package dev.purertc.sctp.sim;

/**
 * A clock that only moves when told to: time is a {@code long} count of nanoseconds from an arbitrary
 * origin, like {@link System#nanoTime()}. Simulations advance it to the next timer or packet arrival,
 * so megabytes of traffic take milliseconds of real time and every run is reproducible. Not
 * thread-safe: one simulation drives it from one thread.
 */
public final class VirtualClock {
    private long now;

    /** A clock starting at 0. */
    public VirtualClock() {
        this(0);
    }

    public VirtualClock(long startNanos) {
        this.now = startNanos;
    }

    /** The current time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Moves to {@code nanos}, which must not be in the past. */
    public void advanceTo(long nanos) {
        if (nanos < now) {
            throw new IllegalArgumentException("cannot go back from " + now + " to " + nanos);
        }
        now = nanos;
    }

    /** Moves forward by {@code nanos} (not negative). */
    public void advanceBy(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative step " + nanos);
        }
        now = Math.addExact(now, nanos);
    }

    @Override
    public String toString() {
        return "VirtualClock[now=" + now + "ns]";
    }
}
