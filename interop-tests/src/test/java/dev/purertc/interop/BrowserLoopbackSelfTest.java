package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Harness self-test: two RTCPeerConnections in one page of a real browser, signalled through the
 * Java test (offer, answer and every trickled candidate go page -> test -> page), connect over
 * loopback inside the lo-only namespace, echo a string and a binary message on a data channel and
 * move 8 MiB with back-pressure and a SHA-256 check over a second channel opened afterwards.
 * This proves that the driver, the browser flags/prefs and loopback ICE in the namespace work
 * before any PureRTC code is involved. One browser per subclass, started once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserLoopbackSelfTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private BrowserPeer browser;

    abstract BrowserKind kind();

    /** getStats() {@code tlsVersion} when this peer talks to itself. */
    abstract String tlsVersionWithItself();

    /** getStats() {@code dtlsCipher} when this peer talks to itself. */
    abstract String dtlsCipherWithItself();

    @BeforeAll
    void startBrowser() {
        BrowserAssumptions.assumeInstalled(kind());
        browser = Browsers.launch(kind());
        if (kind().needsMediaPermissionForLoopback()) {
            // Media permission: without it the browser gathers no loopback candidate (docs/interop.md).
            JsonNode media = browser.call("getUserMedia", "audio", true);
            assertEquals("[\"audio\"]", media.get("tracks").toString());
        }
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void twoPeerConnectionsInOnePageConnectOverLoopbackAndEchoOnADataChannel() {
        browser.call("createPeerConnection", "pc", "a");
        browser.call("createPeerConnection", "pc", "b", "echo", true);
        JsonNode created = browser.call("createDataChannel", "pc", "a", "channel", "a-echo", "label", "echo");
        assertEquals("connecting", created.get("readyState").asText());

        JsonNode offer = browser.call("createOffer", "pc", "a");
        assertEquals("offer", offer.get("type").asText());
        browser.call("setLocalDescription", "pc", "a", "type", "offer", "sdp", offer.get("sdp").asText());
        assertEquals("have-remote-offer", browser.call("setRemoteDescription", "pc", "b", "type", "offer",
                "sdp", offer.get("sdp").asText()).get("signalingState").asText());
        JsonNode answer = browser.call("createAnswer", "pc", "b");
        assertEquals("stable", browser.call("setLocalDescription", "pc", "b", "type", "answer",
                "sdp", answer.get("sdp").asText()).get("signalingState").asText());
        assertEquals("stable", browser.call("setRemoteDescription", "pc", "a", "type", "answer",
                "sdp", answer.get("sdp").asText()).get("signalingState").asText());

        List<String> addresses = relayCandidatesUntilOpen("a-echo");
        assertFalse(addresses.isEmpty(), "no candidate was trickled");
        for (String address : addresses) {
            assertTrue(Candidates.isLoopback(address), "non-loopback candidate address " + address + " in " + addresses);
        }

        BrowserEvent remote = browser.awaitEvent(e -> e.is("datachannel", "pc", "b"), CONNECT_TIMEOUT);
        assertEquals("echo", remote.text("label"));
        browser.awaitEvent("open", "channel", remote.text("channel"), CONNECT_TIMEOUT);

        String text = "hello from PureRTC's harness, \u00e9\u4e16\ud83c\udf10";
        browser.call("send", "channel", "a-echo", "text", text);
        BrowserEvent echoed = browser.awaitEvent("message", "channel", "a-echo", CONNECT_TIMEOUT);
        assertEquals("false", echoed.text("binary"));
        assertEquals(text, echoed.text("text"));

        byte[] bytes = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xff};
        browser.call("send", "channel", "a-echo", "base64", Base64.getEncoder().encodeToString(bytes));
        BrowserEvent echoedBinary = browser.awaitEvent("message", "channel", "a-echo", CONNECT_TIMEOUT);
        assertEquals("true", echoedBinary.text("binary"));
        assertArrayEquals(bytes, Base64.getDecoder().decode(echoedBinary.text("base64")));

        assertEquals("connected", browser.call("state", "pc", "a").get("connectionState").asText());
        assertEquals("connected", browser.call("state", "pc", "b").get("connectionState").asText());
        JsonNode transport = assertSelectedPairIsLoopback(browser.call("getStats", "pc", "a"));
        assertEquals(tlsVersionWithItself(), transport.path("tlsVersion").asText(), transport.toString());
        assertEquals(dtlsCipherWithItself(), transport.path("dtlsCipher").asText(), transport.toString());

        bulkTransferOnASecondChannelOpenedAfterConnecting();

        browser.call("closePeerConnection", "pc", "a");
        browser.call("closePeerConnection", "pc", "b");
    }

    /**
     * A second channel, created after the connection is up (no renegotiation), carries 8 MiB of
     * random data with back-pressure; the receiver's SHA-256 equals the sender's.
     */
    private void bulkTransferOnASecondChannelOpenedAfterConnecting() {
        long total = 8L << 20;
        browser.call("createDataChannel", "pc", "a", "channel", "a-bulk", "label", "bulk");
        BrowserEvent remote = browser.awaitEvent(e -> e.is("datachannel", "pc", "b"), CONNECT_TIMEOUT);
        assertEquals("bulk", remote.text("label"));
        browser.awaitEvent("open", "channel", "a-bulk", CONNECT_TIMEOUT);
        browser.call("armBulkSink", "channel", remote.text("channel"), "totalBytes", total);

        var args = browser.args();
        args.put("channel", "a-bulk");
        args.put("totalBytes", total);
        args.put("messageSize", 64 << 10);
        args.put("highWater", 1 << 20);
        args.put("lowWater", 256 << 10);
        JsonNode sent = browser.call("sendBulk", args, Duration.ofSeconds(60));
        assertEquals(total, sent.get("bytesSent").asLong());
        assertEquals(128, sent.get("messages").asInt());
        assertTrue(sent.get("bufferedAmountLowEvents").asInt() > 0, "back-pressure never engaged: " + sent);
        assertTrue(sent.get("maxBufferedAmount").asLong() <= (1 << 20) + (64 << 10), sent.toString());

        BrowserEvent received = browser.awaitEvent("bulkreceived", "channel", remote.text("channel"), Duration.ofSeconds(60));
        assertEquals(Long.toString(total), received.text("bytes"));
        assertEquals("128", received.text("messages"));
        assertEquals(sent.get("sha256").asText(), received.text("sha256"));
        assertEquals(64, received.text("sha256").length());
    }

    /**
     * Forwards every trickled candidate (and the end-of-candidates marker) of a to b and of b to a
     * until {@code channel} on a is open; returns the addresses of the forwarded candidates.
     */
    private List<String> relayCandidatesUntilOpen(String channel) {
        List<String> addresses = new ArrayList<>();
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            BrowserEvent e = browser.awaitEvent(ev -> ev.type().equals("icecandidate") || ev.is("open", "channel", channel), left);
            if (e.type().equals("open")) {
                return addresses;
            }
            String to = e.text("pc").equals("a") ? "b" : "a";
            String candidate = e.text("candidate");
            if (candidate == null) {
                browser.call("addIceCandidate", "pc", to);
                continue;
            }
            addresses.add(Candidates.address(candidate));
            var args = browser.args();
            args.put("pc", to);
            args.put("candidate", candidate);
            args.set("sdpMid", e.data().get("sdpMid"));
            args.set("sdpMLineIndex", e.data().get("sdpMLineIndex"));
            browser.call("addIceCandidate", args, BrowserPeer.DEFAULT_CALL_TIMEOUT);
        }
    }

    /** The transport is DTLS-connected over the selected candidate pair, whose two ends are loopback; returns the transport record. */
    private static JsonNode assertSelectedPairIsLoopback(JsonNode stats) {
        JsonNode transport = null;
        for (JsonNode r : stats) {
            if (r.path("type").asText().equals("transport")) {
                transport = r;
            }
        }
        assertTrue(transport != null, "no transport in getStats: " + stats);
        assertEquals("connected", transport.path("dtlsState").asText(), transport.toString());
        String pairId = transport.path("selectedCandidatePairId").asText();
        JsonNode pair = byId(stats, pairId);
        assertEquals("succeeded", pair.path("state").asText(), pair.toString());
        for (String end : List.of("localCandidateId", "remoteCandidateId")) {
            JsonNode c = byId(stats, pair.path(end).asText());
            String address = c.hasNonNull("address") ? c.get("address").asText() : c.path("ip").asText();
            assertTrue(Candidates.isLoopback(address), end + " is not loopback: " + c);
        }
        return transport;
    }

    private static JsonNode byId(JsonNode stats, String id) {
        for (JsonNode r : stats) {
            if (r.path("id").asText().equals(id)) {
                return r;
            }
        }
        throw new AssertionError("no stats record " + id + " in " + stats);
    }
}
