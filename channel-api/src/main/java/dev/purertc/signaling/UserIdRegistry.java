package dev.purertc.signaling;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connection holds each user id, and which freed ids are still reserved for their last holder.
 *
 * <p>The rule for freed ids: when a connection closes, each id it held stays reserved for
 * {@code userIdReservation} (default 60 s). During that time only the same client may claim it again:
 * a connection that presents the {@code secret} the server issued in the {@code registered} reply
 * (128 random bits from {@link SecureRandom}), or, with a {@link TokenValidator}, a connection that came
 * with the same token. Everybody else gets {@code user-reserved}. Messages to the id wait for the client
 * when its connection was cut ({@link HeldMessages}); when the client closed it itself they are answered
 * {@code unknown-user} as for any absent user. So a user whose connection
 * drops cannot have the rest of a call setup, or the next call, land on whoever registers the id first.
 * After the reservation the id is free: without a validator there is no identity to check beyond this
 * window (that is why a non-loopback server needs a validator or an explicit opt-out), and with one the
 * validator's grant decides. Ids are never bound forever, so a client that lost its secret (a reloaded
 * page) gets its id back after at most the reservation time, and the table cannot grow without bound.
 *
 * <p>Threading: {@link #lookup} is lock-free (any event loop); claims and releases take the registry's
 * lock, so a claim and the release of the same id cannot interleave (a release first reserves the id,
 * then frees it, atomically).
 */
final class UserIdRegistry {

    /** What {@link #claim} did. */
    enum Outcome { CLAIMED, TAKEN, RESERVED, /** a cluster node could not reach its shared store */ UNAVAILABLE }

    /** The outcome, and for {@code CLAIMED} the secret that lets the same client re-claim the id. */
    record Claim(Outcome outcome, String secret) {
    }

    private record Holding(String secret, byte[] tokenFingerprint) {
    }

    private record Reservation(String secret, byte[] tokenFingerprint, long expiresAtNanos, boolean cut) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SignalingConnection> users = new ConcurrentHashMap<>();
    private final Map<String, Holding> holdings = new HashMap<>();
    private final Map<String, Reservation> reserved = new HashMap<>();
    private final long reservationNanos;

    UserIdRegistry(long reservationNanos) {
        this.reservationNanos = reservationNanos;
    }

    SignalingConnection lookup(String user) {
        return users.get(user);
    }

    Set<String> users() {
        return Set.copyOf(users.keySet());
    }

    /** Ids reserved now (diagnostics and tests). */
    synchronized int reservedCount() {
        purge(System.nanoTime());
        return reserved.size();
    }

    /**
     * Binds {@code user} to {@code conn} unless another connection holds it or it is reserved for another
     * client. {@code secret} is what the client presented (or null).
     */
    synchronized Claim claim(SignalingConnection conn, String user, String secret) {
        long now = System.nanoTime();
        SignalingConnection holder = users.get(user);
        if (holder != null) {
            return new Claim(holder == conn ? Outcome.CLAIMED : Outcome.TAKEN,
                    holder == conn ? holdings.get(user).secret() : null);
        }
        Reservation r = reserved.get(user);
        if (r != null && now - r.expiresAtNanos() >= 0) {
            reserved.remove(user);
            r = null;
        }
        String issued;
        if (r != null) {
            boolean sameSecret = secret != null && MessageDigest.isEqual(
                    secret.getBytes(StandardCharsets.UTF_8), r.secret().getBytes(StandardCharsets.UTF_8));
            boolean sameToken = r.tokenFingerprint() != null && conn.tokenFingerprint != null
                    && MessageDigest.isEqual(r.tokenFingerprint(), conn.tokenFingerprint);
            if (!sameSecret && !sameToken) {
                return new Claim(Outcome.RESERVED, null);
            }
            reserved.remove(user);
            issued = r.secret(); // the same client keeps its secret across reconnections
        } else {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            issued = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
        users.put(user, conn);
        holdings.put(user, new Holding(issued, conn.tokenFingerprint));
        return new Claim(Outcome.CLAIMED, issued);
    }

    /**
     * Binds {@code user} to {@code conn} with {@code secret}, unless another connection of this node holds
     * it: a cluster node's local table, after the cluster granted the id ({@link ClusterRouting#claim}).
     */
    synchronized boolean bind(SignalingConnection conn, String user, String secret) {
        SignalingConnection holder = users.putIfAbsent(user, conn);
        if (holder != null && holder != conn) {
            return false;
        }
        holdings.put(user, new Holding(secret, conn.tokenFingerprint));
        return true;
    }

    /** The secret issued to the holder of {@code user} here, or null. */
    synchronized String secretOf(String user) {
        Holding h = holdings.get(user);
        return h == null ? null : h.secret();
    }

    /** Frees every id {@code conn} holds, reserving each for its holder. */
    synchronized void release(SignalingConnection conn) {
        long now = System.nanoTime();
        for (String user : conn.users()) {
            if (users.remove(user, conn)) {
                Holding h = holdings.remove(user);
                if (reservationNanos > 0 && h != null) {
                    reserved.put(user, new Reservation(h.secret(), h.tokenFingerprint(), now + reservationNanos,
                            !conn.closedByClient()));
                }
            }
        }
    }

    /**
     * Whether {@code user} is reserved (not expired) for a client whose connection was cut rather than
     * closed by the client: one that will try to come back, for which messages are held.
     */
    synchronized boolean awaitsReturn(String user) {
        Reservation r = reserved.get(user);
        return r != null && r.cut() && System.nanoTime() - r.expiresAtNanos() < 0;
    }

    /** Drops expired reservations (the server calls it periodically; a claim checks its own id). */
    synchronized void purgeExpired() {
        purge(System.nanoTime());
    }

    private void purge(long now) {
        for (Iterator<Reservation> it = reserved.values().iterator(); it.hasNext(); ) {
            if (now - it.next().expiresAtNanos() >= 0) {
                it.remove();
            }
        }
    }
}
