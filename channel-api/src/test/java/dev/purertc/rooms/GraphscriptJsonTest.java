package dev.purertc.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCSessionDescription;

class GraphscriptJsonTest {

    @Test
    void encodesLikeEncodeUriComponent() {
        // encodeURIComponent('{"a":"b c+d/é","x":1}') in JavaScript
        assertEquals("%7B%22a%22%3A%22b%20c%2Bd%2F%C3%A9%22%2C%22x%22%3A1%7D",
                GraphscriptJson.encodeUriComponent("{\"a\":\"b c+d/é\",\"x\":1}"));
        assertEquals("-_.!~*'()AZaz09", GraphscriptJson.encodeUriComponent("-_.!~*'()AZaz09"));
    }

    @Test
    void decodesLikeDecodeUriComponentKeepingPlus() {
        assertEquals("{\"a\":\"b c+d/é\"}", GraphscriptJson.decodeUriComponent("%7B%22a%22%3A%22b%20c%2Bd%2F%C3%A9%22%7D"));
        assertEquals("pwd+x", GraphscriptJson.decodeUriComponent("pwd+x"));
        assertThrows(IllegalArgumentException.class, () -> GraphscriptJson.decodeUriComponent("%7"));
        assertThrows(IllegalArgumentException.class, () -> GraphscriptJson.decodeUriComponent("%zz"));
    }

    @Test
    void readsDescriptionsInEveryForm() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=ice-pwd:ab+cd/ef\r\n";
        String json = "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\na=ice-pwd:ab+cd/ef\\r\\n\"}";
        RTCSessionDescription expected = new RTCSessionDescription(RTCSessionDescription.Type.OFFER, sdp);
        assertEquals(expected, GraphscriptJson.toDescription(json));
        assertEquals(expected, GraphscriptJson.toDescription(GraphscriptJson.encodeUriComponent(json)));
        assertEquals(expected, GraphscriptJson.toDescription(Map.of("type", "offer", "sdp", sdp)));
        assertEquals(expected, GraphscriptJson.toDescription(expected));
        assertEquals(json, GraphscriptJson.descriptionJson(expected).toString());
        assertEquals(GraphscriptJson.encodeUriComponent(json), GraphscriptJson.encodeDescription(expected));
        assertThrows(IllegalArgumentException.class, () -> GraphscriptJson.toDescription("{\"type\":\"pranswer\",\"sdp\":\"\"}"));
        assertThrows(IllegalArgumentException.class, () -> GraphscriptJson.toDescription("{\"type\":\"offer\"}"));
        assertThrows(IllegalArgumentException.class, () -> GraphscriptJson.toDescription("{not json"));
    }

    @Test
    void readsBrowserCandidatesWithExtraFields() {
        String json = "{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"abcd\"}";
        RTCIceCandidate c = GraphscriptJson.toCandidate(GraphscriptJson.encodeUriComponent(json));
        assertEquals(new RTCIceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0", "0", 0), c);
        RTCIceCandidate end = GraphscriptJson.toCandidate("{\"candidate\":\"\",\"sdpMid\":null,\"sdpMLineIndex\":null}");
        assertEquals("", end.candidate());
        assertNull(end.sdpMid());
        assertEquals("{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
                GraphscriptJson.candidateJson(c).toString());
    }
}
