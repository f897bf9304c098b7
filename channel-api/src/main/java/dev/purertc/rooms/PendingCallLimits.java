package dev.purertc.rooms;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on the call information {@link WebRtcRooms} keeps for rooms that are not open yet: offers
 * waiting to be answered and candidates that arrived before their call. Anyone who can reach a peer
 * through signaling can send such information for rooms that will never open, so it is bounded in
 * count and in time.
 *
 * @param maxCalls rooms with kept information, in all (default 64)
 * @param maxCallsPerCaller rooms with kept information from one caller (the {@code caller} property the
 *        signaling bridges set from the server-stamped sender; information without one counts as one
 *        anonymous caller) (default 8)
 * @param maxCandidatesPerCall candidates kept for one room; later ones are dropped (default 32)
 * @param ttl how long information is kept from its first part; then it is forgotten (default 60 s)
 */
public record PendingCallLimits(int maxCalls, int maxCallsPerCaller, int maxCandidatesPerCall, Duration ttl) {

    public PendingCallLimits {
        Objects.requireNonNull(ttl, "ttl");
        if (maxCalls < 1 || maxCallsPerCaller < 1 || maxCandidatesPerCall < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    /**
     * 64 rooms, 8 per caller, 32 candidates each, kept 60 s. A browser gathers a handful of
     * candidates per call (host, server-reflexive, relayed, per interface), 32 leave room for
     * multi-homed hosts; 8 calls ringing from one user at once is more than any real caller makes;
     * 60 s is about as long as a ringing call is left unanswered, and early candidates arrive within a
     * second of their call.
     */
    public static PendingCallLimits defaults() {
        return new PendingCallLimits(64, 8, 32, Duration.ofSeconds(60));
    }
}
