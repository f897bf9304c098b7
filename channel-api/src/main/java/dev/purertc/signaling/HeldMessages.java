package dev.purertc.signaling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Relayed messages addressed to a user id that is reserved for its client after its connection was cut
 * (not closed by the client: see {@link ClientCloseMarker} and {@link UserIdRegistry}): they wait here, bounded, and reach the user when its client claims the id
 * back; the sender's {@code ack} is sent only then. When the reservation ends without the client coming
 * back, each sender gets {@code user-gone} for each message; when the user's share is full, the sender
 * gets {@code peer-congested} at once. So an {@code ack} always means "written to the user's connection".
 * A client that closed its connection itself left on purpose: messages to its id get {@code unknown-user}
 * at once, as before. Single node only: in a cluster a reserved id's messages get {@code unknown-user}.
 *
 * <p>Bounds: {@value #MAX_MESSAGES_PER_USER} messages and {@value #MAX_BYTES_PER_USER} bytes per user,
 * {@value #MAX_BYTES} bytes in all. Thread-safe: the server's event loops share it.
 */
final class HeldMessages {
    static final int MAX_MESSAGES_PER_USER = 64;
    static final int MAX_BYTES_PER_USER = 256 * 1024;
    static final long MAX_BYTES = 16L * 1024 * 1024;

    /** One message: its sender (for the ack or the refusal), the frame's JSON, and the sender's request id. */
    record Held(SignalingConnection sender, String json, JsonNode id) {
    }

    private static final class Queue {
        final ArrayDeque<Held> messages = new ArrayDeque<>();
        long bytes;
    }

    private final Map<String, Queue> byUser = new HashMap<>();
    private long bytes;

    /** Keeps {@code json} for {@code user}; false when the user's share or the whole store is full. */
    synchronized boolean hold(String user, SignalingConnection sender, String json, JsonNode id) {
        long size = json.length();
        Queue q = byUser.get(user);
        int count = q == null ? 0 : q.messages.size();
        long userBytes = q == null ? 0 : q.bytes;
        if (count >= MAX_MESSAGES_PER_USER || userBytes + size > MAX_BYTES_PER_USER || bytes + size > MAX_BYTES) {
            return false;
        }
        if (q == null) {
            q = new Queue();
            byUser.put(user, q);
        }
        q.messages.add(new Held(sender, json, id));
        q.bytes += size;
        bytes += size;
        return true;
    }

    /** Removes and returns what waits for {@code user}, oldest first (empty if nothing). */
    synchronized List<Held> take(String user) {
        Queue q = byUser.remove(user);
        if (q == null) {
            return List.of();
        }
        bytes -= q.bytes;
        return new ArrayList<>(q.messages);
    }

    /** Removes and returns, by user, what waits for every user that {@code settled} says is settled. */
    synchronized Map<String, List<Held>> takeSettled(Predicate<String> settled) {
        Map<String, List<Held>> out = new HashMap<>();
        for (Iterator<Map.Entry<String, Queue>> it = byUser.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Queue> e = it.next();
            if (settled.test(e.getKey())) {
                bytes -= e.getValue().bytes;
                out.put(e.getKey(), new ArrayList<>(e.getValue().messages));
                it.remove();
            }
        }
        return out;
    }

    /** Messages waiting now, for every user (diagnostics and tests). */
    synchronized int size() {
        int n = 0;
        for (Queue q : byUser.values()) {
            n += q.messages.size();
        }
        return n;
    }
}
