package dev.purertc.sctp.association;

/**
 * A deadline on the injected clock with an expiry counter and exponential backoff, as the SCTP timers
 * (T1-init, T1-cookie, T2-shutdown, T3-rtx, delayed ack, heartbeat, RE-CONFIG) need. It never fires by
 * itself: the association compares {@link #deadline()} with the time it is given.
 */
public final class Timer {
    public static final long STOPPED = Long.MAX_VALUE;
    private final String name;
    private long deadline = STOPPED;
    private long duration;
    private int expirations;

    public Timer(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Starts (or restarts) the timer to fire {@code duration} after {@code now}; resets the counter. */
    public void start(long now, long duration) {
        this.duration = duration;
        this.deadline = now + duration;
        this.expirations = 0;
    }

    /** Re-arms after an expiry with the given duration, keeping the expiry count. */
    public void rearm(long now, long duration) {
        this.duration = duration;
        this.deadline = now + duration;
    }

    public void stop() {
        deadline = STOPPED;
        expirations = 0;
    }

    public boolean isRunning() {
        return deadline != STOPPED;
    }

    public long deadline() {
        return deadline;
    }

    public long duration() {
        return duration;
    }

    /** True (and counts one expiry, leaving the timer stopped) when the deadline has passed. */
    public boolean expire(long now) {
        if (deadline != STOPPED && now >= deadline) {
            deadline = STOPPED;
            expirations++;
            return true;
        }
        return false;
    }

    /** Expiries since the last {@link #start}. */
    public int expirations() {
        return expirations;
    }
}
