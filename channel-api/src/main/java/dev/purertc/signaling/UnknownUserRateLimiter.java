package dev.purertc.signaling;

/**
 * A token bucket per connection for lookups of user ids that turn out not to be registered: messages to
 * unknown users and registrations refused because the id is taken or reserved. Each such miss costs a
 * token; tokens come back one per refill interval up to the burst. While the bucket is empty, every
 * lookup from the connection is refused with {@code rate-limited} before the user table is consulted, so
 * a client that probes for ids learns nothing more until tokens come back: at the defaults (burst 10,
 * one per second) an enumerator tries about 3,600 ids an hour per connection instead of thousands a
 * second.
 *
 * <p>Threading: used only on its connection's event loop.
 */
final class UnknownUserRateLimiter {

    private final int burst;
    private final long refillNanos;
    private double tokens;
    private long updated;

    UnknownUserRateLimiter(int burst, long refillNanos) {
        this.burst = burst;
        this.refillNanos = refillNanos;
        this.tokens = burst;
        this.updated = System.nanoTime();
    }

    /** True while no token is left: the lookup must be refused without consulting the user table. */
    boolean exhausted() {
        refill();
        return tokens < 1;
    }

    /** A lookup missed: costs one token. */
    void miss() {
        refill();
        tokens = Math.max(0, tokens - 1);
    }

    /** Milliseconds until the next token (for the error message). */
    long millisUntilNext() {
        refill();
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * refillNanos / 1e6);
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (double) (now - updated) / refillNanos);
        updated = now;
    }
}
