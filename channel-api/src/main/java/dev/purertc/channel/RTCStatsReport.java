package dev.purertc.channel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@link RTCPeerConnection#getStats()} returns: {@link RTCStats} objects by id, in a stable order. */
public final class RTCStatsReport {
    private final Map<String, RTCStats> byId;

    RTCStatsReport(List<RTCStats> stats) {
        Map<String, RTCStats> m = new LinkedHashMap<>();
        for (RTCStats s : stats) {
            if (m.put(s.id(), s) != null) {
                throw new IllegalArgumentException("two stats objects with id " + s.id());
            }
        }
        this.byId = Collections.unmodifiableMap(m);
    }

    public Map<String, RTCStats> asMap() {
        return byId;
    }

    public Optional<RTCStats> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every object of {@code type}, in report order. */
    public List<RTCStats> ofType(String type) {
        return byId.values().stream().filter(s -> s.type().equals(type)).toList();
    }

    /** The first object of {@code type} (there is one {@code peer-connection}, {@code transport}...). */
    public Optional<RTCStats> first(String type) {
        return byId.values().stream().filter(s -> s.type().equals(type)).findFirst();
    }

    @Override
    public String toString() {
        return byId.values().toString();
    }
}
