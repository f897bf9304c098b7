package dev.purertc.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One object of a {@link RTCStatsReport}, as the W3C "Identifiers for WebRTC's Statistics API" defines
 * them: an {@code id} unique in its report, a {@code type} ({@code peer-connection}, {@code data-channel},
 * {@code transport}, {@code candidate-pair}, {@code local-candidate}, {@code remote-candidate},
 * {@code sctp-transport}), a timestamp in milliseconds since the epoch, and named members with the
 * W3C names where the W3C has one.
 */
public final class RTCStats {
    private final String id;
    private final String type;
    private final double timestamp;
    private final Map<String, Object> members;

    RTCStats(String id, String type, double timestamp, Map<String, Object> members) {
        this.id = id;
        this.type = type;
        this.timestamp = timestamp;
        this.members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** Milliseconds since the epoch when the report was taken. */
    public double timestamp() {
        return timestamp;
    }

    /** Every member, in a stable order; values are {@code String}, {@code Long}, {@code Double} or {@code Boolean}. */
    public Map<String, Object> members() {
        return members;
    }

    public boolean has(String name) {
        return members.containsKey(name);
    }

    /** @throws NoSuchElementException if the member is absent */
    public Object get(String name) {
        Object v = members.get(name);
        if (v == null) {
            throw new NoSuchElementException(type + " " + id + " has no member " + name);
        }
        return v;
    }

    /** @throws NoSuchElementException if absent; ClassCastException if not a whole number */
    public long getLong(String name) {
        return (Long) get(name);
    }

    /** @throws NoSuchElementException if absent; ClassCastException if not a number */
    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** @throws NoSuchElementException if absent; ClassCastException if not a string */
    public String getString(String name) {
        return (String) get(name);
    }

    @Override
    public String toString() {
        return type + " " + id + " " + members;
    }
}
