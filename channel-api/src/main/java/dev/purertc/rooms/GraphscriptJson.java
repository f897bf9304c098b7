package dev.purertc.rooms;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCSessionDescription;

/**
 * JSON as graphscript's {@code WebRTCfrontend} writes it: the shared {@link ObjectMapper}, and the
 * descriptions and candidates it signals as {@code encodeURIComponent(JSON.stringify(x))} strings
 * ({@code createOffer}, {@code createAnswer}, {@code negotiateCall} in
 * {@code src/services/webrtc/WebRTC.browser.ts}).
 *
 * <p>Numbers keep their exact text: floats are read as {@link java.math.BigDecimal}, so a
 * {@code callbackId} such as {@code 0.7290338283165081} (graphscript uses {@code Math.random()}) is
 * written back digit for digit. Thread-safe.
 */
public final class GraphscriptJson {

    /** The mapper used for every service message; configured once, then only read. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final String URI_UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";

    private GraphscriptJson() {
    }

    /** JavaScript's {@code encodeURIComponent} (ECMA-262 §19.2.6.5): UTF-8, unreserved set kept. */
    public static String encodeUriComponent(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 16);
        for (byte b : utf8) {
            int c = b & 0xff;
            if (c < 0x80 && URI_UNRESERVED.indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /**
     * JavaScript's {@code decodeURIComponent}: {@code %XX} sequences as UTF-8; unlike
     * {@link java.net.URLDecoder}, a {@code +} stays a {@code +} (SDP ice-pwd values contain it).
     *
     * @throws IllegalArgumentException on a truncated or non-hex escape
     */
    public static String decodeUriComponent(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%') {
                if (i + 2 >= text.length()) {
                    throw new IllegalArgumentException("truncated %-escape at " + i);
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad %-escape at " + i);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < text.length()) {
                    b = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads a JSON value given as a {@link JsonNode}, a {@link Map}, a JSON text, or the URL-encoded
     * JSON text graphscript sends (a text whose first non-blank character is not {@code {} is
     * decoded first).
     */
    static JsonNode readSignal(Object value, String what) {
        if (value instanceof JsonNode node) {
            return node;
        }
        if (value instanceof Map<?, ?> map) {
            return MAPPER.valueToTree(map);
        }
        if (value instanceof String text) {
            String json = text.strip().startsWith("{") ? text : decodeUriComponent(text.strip());
            try {
                return MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(what + " is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        throw new IllegalArgumentException(what + " must be a " + what + " object, a Map, JSON text or "
                + "URL-encoded JSON text, not " + (value == null ? "null" : value.getClass().getName()));
    }

    /**
     * A session description from an {@link RTCSessionDescription}, a {@code {"type","sdp"}} object
     * (JsonNode or Map), its JSON text, or graphscript's URL-encoded JSON text.
     */
    public static RTCSessionDescription toDescription(Object value) {
        if (value instanceof RTCSessionDescription d) {
            return d;
        }
        JsonNode node = readSignal(value, "description");
        String type = node.path("type").asText("");
        JsonNode sdp = node.get("sdp");
        if (sdp == null || !sdp.isTextual()) {
            throw new IllegalArgumentException("description has no \"sdp\" text");
        }
        RTCSessionDescription.Type t = switch (type) {
            case "offer" -> RTCSessionDescription.Type.OFFER;
            case "answer" -> RTCSessionDescription.Type.ANSWER;
            case "rollback" -> RTCSessionDescription.Type.ROLLBACK;
            default -> throw new IllegalArgumentException("description type \"" + type
                    + "\" is not supported (offer, answer or rollback)");
        };
        return new RTCSessionDescription(t, sdp.asText());
    }

    /**
     * A candidate from an {@link RTCIceCandidate}, a browser {@code RTCIceCandidateInit} object
     * ({@code candidate}, {@code sdpMid}, {@code sdpMLineIndex}, {@code usernameFragment}) as JsonNode
     * or Map, its JSON text, or graphscript's URL-encoded JSON text.
     */
    public static RTCIceCandidate toCandidate(Object value) {
        if (value instanceof RTCIceCandidate c) {
            return c;
        }
        JsonNode node = readSignal(value, "candidate");
        JsonNode line = node.get("candidate");
        if (line != null && !line.isTextual() && !line.isNull()) {
            throw new IllegalArgumentException("candidate.candidate must be text");
        }
        JsonNode mid = node.get("sdpMid");
        JsonNode index = node.get("sdpMLineIndex");
        return new RTCIceCandidate(line == null || line.isNull() ? "" : line.asText(),
                mid == null || mid.isNull() ? null : mid.asText(),
                index == null || index.isNull() ? null : index.asInt());
    }

    /** The browser's {@code RTCSessionDescription.toJSON()}: {@code {"type":"offer","sdp":"..."}}. */
    public static ObjectNode descriptionJson(RTCSessionDescription d) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("type", d.type().name().toLowerCase(java.util.Locale.ROOT));
        o.put("sdp", d.sdp());
        return o;
    }

    /** The browser's {@code RTCIceCandidate.toJSON()} shape: candidate, sdpMid, sdpMLineIndex. */
    public static ObjectNode candidateJson(RTCIceCandidate c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("candidate", c.candidate() == null ? "" : c.candidate());
        if (c.sdpMid() == null) {
            o.putNull("sdpMid");
        } else {
            o.put("sdpMid", c.sdpMid());
        }
        if (c.sdpMLineIndex() == null) {
            o.putNull("sdpMLineIndex");
        } else {
            o.put("sdpMLineIndex", c.sdpMLineIndex());
        }
        return o;
    }

    /** {@code encodeURIComponent(JSON.stringify(description))}, as graphscript signals it. */
    public static String encodeDescription(RTCSessionDescription d) {
        return encodeUriComponent(descriptionJson(d).toString());
    }

    /** {@code encodeURIComponent(JSON.stringify(candidate))}. */
    public static String encodeCandidate(RTCIceCandidate c) {
        return encodeUriComponent(candidateJson(c).toString());
    }
}
