package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Something the driver page reported without being asked: an ICE candidate, a state change, a
 * data-channel event or message, a log line.
 *
 * @param seq arrival order, from 1, over all events of one {@link BrowserPeer}
 * @param type the event type, e.g. {@code icecandidate}, {@code connectionstatechange}, {@code open}, {@code message}
 * @param data the whole event object as the page sent it ({@code type} included)
 */
public record BrowserEvent(long seq, String type, JsonNode data) {
    /** The text of field {@code name}, or null if absent or JSON null. */
    public String text(String name) {
        JsonNode v = data.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** True if this is a {@code type} event whose field {@code field} has the text {@code value}. */
    public boolean is(String type, String field, String value) {
        return this.type.equals(type) && value.equals(text(field));
    }
}
