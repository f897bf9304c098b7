package dev.purertc.rooms;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The field names of the document the room API was modelled on, accepted beside graphscript 0.3.12's:
 * there the caller is the <em>host</em> and the callee the <em>peer</em>, and a room's signals are
 * {@code hostdescription} (the host's offer), {@code peerdescription} (the peer's answer),
 * {@code hostcandidates} and {@code peercandidates} (each side's candidates by key), where graphscript
 * uses one {@code description} and one {@code candidates} for whatever the other side sent.
 *
 * <p>Which one is the remote signal: {@code description} when present; else {@code peerdescription} (only
 * the peer writes it, after answering, so a message that carries both came back from the peer with the
 * host's offer still in it); else {@code hostdescription}. The candidates are those of the same side as
 * that description ({@code candidates} first); a message without a description (late candidates) gives
 * every candidate it names. Stateless and thread-safe.
 */
public final class SeedNames {

    public static final String HOST_DESCRIPTION = "hostdescription";
    public static final String PEER_DESCRIPTION = "peerdescription";
    public static final String HOST_CANDIDATES = "hostcandidates";
    public static final String PEER_CANDIDATES = "peercandidates";

    private SeedNames() {
    }

    /** The remote description in {@code info} under either dialect's name, or null. */
    public static JsonNode description(JsonNode info) {
        for (String name : new String[] {"description", PEER_DESCRIPTION, HOST_DESCRIPTION}) {
            JsonNode d = info.get(name);
            if (d != null && !d.isNull()) {
                return d;
            }
        }
        return null;
    }

    /** The remote candidates in {@code info} by key (see the class comment for which), or an empty object. */
    public static ObjectNode candidates(JsonNode info) {
        ObjectNode out = GraphscriptJson.MAPPER.createObjectNode();
        if (info.hasNonNull("candidates")) {
            copy(info.get("candidates"), out);
        } else if (info.hasNonNull("description")) {
            return out;
        } else if (info.hasNonNull(PEER_DESCRIPTION)) {
            copy(info.get(PEER_CANDIDATES), out);
        } else if (info.hasNonNull(HOST_DESCRIPTION)) {
            copy(info.get(HOST_CANDIDATES), out);
        } else {
            copy(info.get(HOST_CANDIDATES), out);
            copy(info.get(PEER_CANDIDATES), out);
        }
        return out;
    }

    /**
     * Room options from a message in either dialect: {@code _id}, the remote description (a URL-encoded
     * JSON string stays a string, as {@link RoomOptions.Builder#description} takes it) and the remote
     * candidates. Callbacks and channels are the caller's to add.
     */
    public static RoomOptions.Builder options(JsonNode info) {
        RoomOptions.Builder b = RoomOptions.builder();
        if (info.path("_id").isTextual()) {
            b.id(info.get("_id").asText());
        }
        JsonNode d = description(info);
        if (d != null) {
            b.description(d.isTextual() ? d.asText() : d);
        }
        for (Map.Entry<String, JsonNode> e : candidates(info).properties()) {
            b.candidate(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue());
        }
        return b;
    }

    private static void copy(JsonNode from, ObjectNode to) {
        if (from instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (!e.getValue().isNull()) {
                    to.set(e.getKey(), e.getValue());
                }
            }
        }
    }
}
