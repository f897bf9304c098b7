package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a browser's {@code getStats()} records (W3C webrtc-stats) as the driver page returns them. */
final class BrowserStats {
    private BrowserStats() {
    }

    /**
     * The selected candidate pair and its local and remote candidates: the transport's
     * {@code selectedCandidatePairId} (Chromium), else the pair marked {@code selected} (Firefox), else the
     * nominated succeeded pair.
     *
     * @throws AssertionError if there is none
     */
    static JsonNode[] selectedPair(JsonNode stats) {
        String id = null;
        for (JsonNode r : stats) {
            if (r.path("type").asText().equals("transport") && r.hasNonNull("selectedCandidatePairId")) {
                id = r.get("selectedCandidatePairId").asText();
            }
        }
        JsonNode pair = null;
        for (JsonNode r : stats) {
            if (!r.path("type").asText().equals("candidate-pair")) {
                continue;
            }
            if (id != null ? r.path("id").asText().equals(id) : r.path("selected").asBoolean(false)) {
                pair = r;
            }
        }
        if (pair == null) {
            for (JsonNode r : stats) {
                if (r.path("type").asText().equals("candidate-pair") && r.path("nominated").asBoolean(false)
                        && r.path("state").asText().equals("succeeded")) {
                    pair = r;
                }
            }
        }
        if (pair == null) {
            throw new AssertionError("no selected candidate pair in getStats: " + stats);
        }
        return new JsonNode[] {pair, byId(stats, pair.path("localCandidateId").asText()),
                byId(stats, pair.path("remoteCandidateId").asText())};
    }

    /** A candidate record's address ({@code address}, or the older {@code ip}). */
    static String address(JsonNode candidate) {
        return candidate.hasNonNull("address") ? candidate.get("address").asText() : candidate.path("ip").asText();
    }

    private static JsonNode byId(JsonNode stats, String id) {
        for (JsonNode r : stats) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no record " + id + " in getStats: " + stats);
    }
}
