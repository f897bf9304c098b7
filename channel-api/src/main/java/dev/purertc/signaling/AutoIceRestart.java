package dev.purertc.signaling;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import dev.purertc.channel.PeerConnectionState;
import dev.purertc.rooms.Room;

/**
 * The rule by which a room replaces a lost path by itself, shared by both signaling dialects
 * ({@link RoomSignaling} and {@link GraphscriptCalls}): when a room's connection becomes
 * {@code disconnected} (consent freshness, RFC 7675, found the pair silent: an address change, a NAT
 * binding lost) while this side's signaling is up, the room restarts ICE (RFC 8445 §9). Only the impolite
 * side (the caller) starts, so the two sides never send colliding restart offers; the polite callee answers.
 * The restart itself only sets the connection's restart flag: its negotiation-needed event then reaches the
 * bridge, which sends the offer through the relay in its own dialect. Thread-safe; runs on the
 * connection's event loop.
 */
final class AutoIceRestart {

    private final BooleanSupplier signalingUp;

    /** @param signalingUp whether this side's signaling connection is open (a restart offer can reach the peer) */
    AutoIceRestart(BooleanSupplier signalingUp) {
        this.signalingUp = Objects.requireNonNull(signalingUp, "signalingUp");
    }

    /** A room's connection-state callback: the application's {@code user} (may be null) first, then the rule. */
    BiConsumer<Room, PeerConnectionState> after(BiConsumer<Room, PeerConnectionState> user) {
        return (room, state) -> {
            if (user != null) {
                user.accept(room, state);
            }
            restartIfDisconnected(room, state);
        };
    }

    /**
     * Applies the rule to one state change.
     *
     * @return whether a restart was asked for
     */
    boolean restartIfDisconnected(Room room, PeerConnectionState state) {
        if (state != PeerConnectionState.DISCONNECTED || room.polite() || !signalingUp.getAsBoolean()) {
            return false;
        }
        room.connection().restartIce();
        return true;
    }
}
