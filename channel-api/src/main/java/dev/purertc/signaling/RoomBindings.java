package dev.purertc.signaling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user each room of a signaling bridge is bound to: the callee for a call this side made, the
 * caller for a call this side accepted. A room signal ({@code answer}, {@code candidate},
 * {@code hangup}, {@code reject}, graphscript's {@code answerPeer} and call information) acts only
 * when its server-stamped sender is that user; the first accepted call binds a room, and a call that
 * reuses a bound id is refused.
 *
 * <p>Thread-safe.
 */
final class RoomBindings {

    private final Map<String, String> peers = new ConcurrentHashMap<>();

    /** Binds {@code room} to {@code user}; true if it is now bound to them (newly or already), false if to another. */
    boolean bind(String room, String user) {
        String holder = peers.putIfAbsent(room, user);
        return holder == null || holder.equals(user);
    }

    /** True if {@code room} is bound to {@code user}. */
    boolean isPeer(String room, String user) {
        return user != null && user.equals(peers.get(room));
    }

    /** The user {@code room} is bound to, or null. */
    String peer(String room) {
        return peers.get(room);
    }

    /** Unbinds {@code room} if it is bound to {@code user}. */
    void release(String room, String user) {
        peers.remove(room, user);
    }

    /** Unbinds {@code room}; returns the user it was bound to, or null. */
    String release(String room) {
        return peers.remove(room);
    }

    int size() {
        return peers.size();
    }
}
