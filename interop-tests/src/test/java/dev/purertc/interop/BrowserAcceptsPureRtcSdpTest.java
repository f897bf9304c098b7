package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.sdp.CandidateType;
import dev.purertc.sdp.DataChannelDescription;
import dev.purertc.sdp.DataChannelNegotiation;
import dev.purertc.sdp.DataChannelParameters;
import dev.purertc.sdp.IceCandidate;
import dev.purertc.sdp.MediaDescription;
import dev.purertc.sdp.SdpParseException;
import dev.purertc.sdp.SessionDescription;
import dev.purertc.sdp.SetupRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 2 acceptance, "PureRTC's answer to each browser offer is accepted by that browser", and the
 * reverse, checked live against a real browser: the browser creates its offer, PureRTC's sdp module
 * parses it and writes the answer, and the browser's setRemoteDescription(answer) must succeed and
 * leave it {@code stable}; PureRTC's offer must be taken by setRemoteDescription, answered by
 * createAnswer and that answer must parse with PureRTC. SDP only: PureRTC has no transport yet, so
 * no connection is expected (the answers carry no candidates and a stand-in fingerprint).
 * One browser per subclass, started once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserAcceptsPureRtcSdpTest {
    private BrowserPeer browser;
    private int pcCount;

    abstract BrowserKind kind();

    /**
     * The page's transceivers ({@code kind:currentDirection}) once an answer rejected its audio and
     * video sections: both are stopped (RFC 8829 §4.2.5 / §5.10); Chromium then also drops stopped
     * transceivers from getTransceivers() as webrtc-pc now says, Firefox ESR still lists them.
     */
    abstract List<String> transceiversAfterAudioVideoRejected();

    @BeforeAll
    void startBrowser() {
        BrowserAssumptions.assumeInstalled(kind());
        browser = Browsers.launch(kind());
        if (kind() != BrowserKind.WERIFT) {
            JsonNode media = browser.call("getUserMedia", "audio", true, "video", true);
            assertEquals("[\"audio\",\"video\"]", media.get("tracks").toString());
        }
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void acceptsPureRtcAnswerToItsDataChannelOfferWithoutConnecting() throws SdpParseException {
        String pc = newPeerConnection();
        browser.call("createDataChannel", "pc", pc, "channel", pc + "-data", "label", "data");
        SessionDescription offer = browserOffer(pc);
        assertEquals(List.of("application"), mediaTypes(offer));

        SessionDescription answer = DataChannelNegotiation.createAnswer(offer, PureRtcSdpParameters.random());
        assertEquals(List.of("application"), mediaTypes(answer));
        assertEquals(Optional.of(SetupRole.ACTIVE), DataChannelDescription.of(answer).dtls().setup());

        JsonNode state = browser.call("setRemoteDescription", "pc", pc, "type", "answer", "sdp", answer.toSdp());
        assertEquals("stable", state.get("signalingState").asText());
        assertEquals("answer", state.get("remoteDescription").get("type").asText());
        browser.call("closePeerConnection", "pc", pc);
    }

    @Test
    void acceptsPureRtcAnswerRejectingAudioAndVideoOfItsAudioVideoDataOfferWithoutConnecting() throws SdpParseException {
        String pc = newPeerConnection();
        if (kind() == BrowserKind.WERIFT) {
            // The werift driver has no media devices: audio and video transceivers without tracks.
            browser.call("addTransceiver", "pc", pc, "kind", "audio");
            assertEquals(2, browser.call("addTransceiver", "pc", pc, "kind", "video").get("transceivers").asInt());
        } else {
            assertEquals(2, browser.call("addTracks", "pc", pc).get("senders").asInt());
        }
        browser.call("createDataChannel", "pc", pc, "channel", pc + "-data", "label", "data");
        SessionDescription offer = browserOffer(pc);
        assertEquals(List.of("audio", "video", "application"), mediaTypes(offer));

        SessionDescription answer = DataChannelNegotiation.createAnswer(offer, PureRtcSdpParameters.random());
        assertEquals(List.of("audio", "video", "application"), mediaTypes(answer));
        assertEquals(List.of(0, 0, 9), ports(answer));
        assertEquals(Optional.of(SetupRole.ACTIVE), DataChannelDescription.of(answer).dtls().setup());

        JsonNode state = browser.call("setRemoteDescription", "pc", pc, "type", "answer", "sdp", answer.toSdp());
        assertEquals("stable", state.get("signalingState").asText());
        // RFC 8829 §4.2.5: an m= section rejected in the answer stops its transceiver.
        List<String> directions = new ArrayList<>();
        for (JsonNode t : browser.call("transceivers", "pc", pc)) {
            directions.add(t.get("kind").asText() + ":" + t.path("currentDirection").asText());
        }
        assertEquals(transceiversAfterAudioVideoRejected(), directions);
        browser.call("closePeerConnection", "pc", pc);
    }

    @Test
    void answersPureRtcOfferWithSetupActiveThatPureRtcParsesWithoutConnecting() throws SdpParseException {
        String pc = newPeerConnection();
        DataChannelParameters local = PureRtcSdpParameters.random();
        SessionDescription offer = DataChannelNegotiation.createOffer(local);

        JsonNode afterOffer = browser.call("setRemoteDescription", "pc", pc, "type", "offer", "sdp", offer.toSdp());
        assertEquals("have-remote-offer", afterOffer.get("signalingState").asText());
        JsonNode answerJson = browser.call("createAnswer", "pc", pc);
        assertEquals("answer", answerJson.get("type").asText());
        JsonNode afterAnswer = browser.call("setLocalDescription", "pc", pc, "type", "answer",
                "sdp", answerJson.get("sdp").asText());
        assertEquals("stable", afterAnswer.get("signalingState").asText());

        SessionDescription answer = SessionDescription.parse(answerJson.get("sdp").asText());
        DataChannelDescription data = DataChannelDescription.of(answer);
        assertEquals(Optional.of(SetupRole.ACTIVE), data.dtls().setup());
        assertEquals(Optional.of(DataChannelNegotiation.OFFER_MID), data.mid());
        assertEquals(List.of("application"), mediaTypes(answer));
        assertEquals("UDP/DTLS/SCTP", data.section().proto());
        browser.call("closePeerConnection", "pc", pc);
    }

    @Test
    void everyTrickledCandidateAndTheGatheredOfferParseWithPureRtc() throws SdpParseException {
        String pc = newPeerConnection();
        browser.call("createDataChannel", "pc", pc, "channel", pc + "-data", "label", "data");
        browserOffer(pc);

        List<String> trickled = new ArrayList<>();
        while (true) {
            BrowserEvent e = browser.awaitEvent(ev -> ev.is("icecandidate", "pc", pc), Duration.ofSeconds(30));
            String candidate = e.text("candidate");
            if (candidate == null) {
                break;
            }
            trickled.add(candidate);
            IceCandidate parsed = IceCandidate.parse(candidate);
            assertEquals(candidate, parsed.toCandidateString(), "round trip of a trickled candidate");
            assertEquals(CandidateType.HOST, parsed.type(), candidate);
            assertTrue(Candidates.isLoopback(parsed.address()), candidate);
        }
        assertFalse(trickled.isEmpty(), "no candidate was trickled");

        JsonNode state = browser.call("state", "pc", pc);
        assertEquals("complete", state.get("iceGatheringState").asText());
        SessionDescription gathered = SessionDescription.parse(state.get("localDescription").get("sdp").asText());
        DataChannelDescription data = DataChannelDescription.of(gathered);
        // The same candidates as trickled; Chromium adds a "ufrag" extension only to the trickled
        // form, so compare without extensions and check that ufrag against the SDP's.
        List<String> trickledKeys = new ArrayList<>();
        for (String t : trickled) {
            IceCandidate c = IceCandidate.parse(t);
            trickledKeys.add(withoutExtensions(c));
            c.extension("ufrag").ifPresent(u -> assertEquals(data.ice().ufrag(), u, t));
        }
        List<String> inSdp = data.candidates().stream().map(BrowserAcceptsPureRtcSdpTest::withoutExtensions).toList();
        assertEquals(trickledKeys.stream().sorted().toList(), inSdp.stream().sorted().toList());
        browser.call("closePeerConnection", "pc", pc);
    }

    private String newPeerConnection() {
        String pc = "sdp" + (++pcCount);
        browser.call("createPeerConnection", "pc", pc);
        return pc;
    }

    /** The browser's offer, set as its local description, parsed by PureRTC. */
    private SessionDescription browserOffer(String pc) throws SdpParseException {
        JsonNode offer = browser.call("createOffer", "pc", pc);
        assertEquals("offer", offer.get("type").asText());
        JsonNode state = browser.call("setLocalDescription", "pc", pc, "type", "offer", "sdp", offer.get("sdp").asText());
        assertEquals("have-local-offer", state.get("signalingState").asText());
        return SessionDescription.parse(offer.get("sdp").asText());
    }

    private static String withoutExtensions(IceCandidate c) {
        return String.join(" ", c.foundation(), Integer.toString(c.component()), c.transport(), Long.toString(c.priority()),
                c.address(), Integer.toString(c.port()), c.type().toString(), c.tcpType().orElse("-"));
    }

    private static List<String> mediaTypes(SessionDescription sd) {
        return sd.media().stream().map(MediaDescription::media).toList();
    }

    private static List<Integer> ports(SessionDescription sd) {
        return sd.media().stream().map(MediaDescription::port).toList();
    }
}
