package dev.purertc.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message a {@link SignalingClient} received and did not consume itself: a relayed PureRTC message
 * ({@code type} is call, answer, description, candidate, hangup, reject or message, {@code from} is
 * the sender the server stamped), an error not tied to a request, or a graphscript post for a route
 * without a handler.
 *
 * @param json the whole message as received; the receiver may read but should not modify it
 */
public record SignalingMessage(ObjectNode json) {

    /** {@code type}, or null for graphscript-shaped messages. */
    public String type() {
        return text("type");
    }

    /** The sending user the server stamped, or null (server-originated messages). */
    public String from() {
        return text("from");
    }

    /** {@code route} of a graphscript message, or null. */
    public String route() {
        return text("route");
    }

    /** A field of the message, or null. */
    public JsonNode get(String field) {
        return json.get(field);
    }

    private String text(String field) {
        JsonNode n = json.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
