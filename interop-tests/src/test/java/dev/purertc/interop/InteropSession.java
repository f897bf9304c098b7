package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCDataChannelInit;
import dev.purertc.channel.RTCIceCandidate;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.channel.RtcConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One PureRTC peer connection and one peer connection in the driver page, connected through the
 * Java test (offer and answer in the given direction, every candidate trickled both ways), with a
 * first reliable ordered channel labelled {@code chat} opened by the offerer. Candidates that are not
 * 127.0.0.1 or ::1 are never forwarded (docs/interop.md "Network rules").
 */
final class InteropSession implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PUMP_STEP = Duration.ofMillis(20);

    /** Who makes the offer. Its text is the matrix table's direction column. */
    enum Direction {
        PURERTC_OFFERS("PureRTC offers"),
        PURERTC_ANSWERS("PureRTC answers");

        private final String text;

        Direction(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    final BrowserPeer browser;
    final PureRtcPeer java;
    /** The name of the page's peer connection. */
    final String pc;
    final Direction direction;
    /** The {@code chat} channel on each side. */
    RTCDataChannel javaChat;
    String browserChat;
    /** Every candidate address forwarded, both ways. */
    final List<String> candidateAddresses = new ArrayList<>();
    /** False: no candidate is forwarded; each side's description carries its own (see {@link #connectWithoutTrickle}). */
    private final boolean trickle;
    /** Without trickle: the candidates each description carried, PureRTC's then the peer's. */
    final List<String> javaDescriptionCandidates = new ArrayList<>();
    final List<String> peerDescriptionCandidates = new ArrayList<>();
    private boolean browserClosed;
    /** When set, a timed-out page wait also shows the SCTP packets PureRTC received. */
    InboundSctpLog inboundSctp;

    private InteropSession(BrowserPeer browser, PureRtcPeer java, String pc, Direction direction, boolean trickle) {
        this.trickle = trickle;
        this.browser = browser;
        this.java = java;
        this.pc = pc;
        this.direction = direction;
    }

    /** Connects a fresh pair; the page's incoming channels echo when {@code echo}. */
    static InteropSession connect(BrowserPeer browser, PeerConnectionFactory factory, RtcConfiguration.Builder config,
                                  String pc, Direction direction, boolean echo) throws Exception {
        return connect(browser, factory, config, pc, direction, echo, session -> { });
    }

    /** As above, running {@code beforeOffer} once both peer connections exist and before the offer is made. */
    static InteropSession connect(BrowserPeer browser, PeerConnectionFactory factory, RtcConfiguration.Builder config,
                                  String pc, Direction direction, boolean echo,
                                  java.util.function.Consumer<InteropSession> beforeOffer) throws Exception {
        InteropSession s = new InteropSession(browser, new PureRtcPeer(factory, config), pc, direction, true);
        try {
            s.negotiate(echo, beforeOffer);
            return s;
        } catch (Throwable t) {
            s.close();
            throw t;
        }
    }

    /**
     * Connects a fresh pair without trickle, as an application whose signaling is one message each way:
     * each side waits until its gathering is complete and sends its local description, which carries
     * every candidate; nobody calls addIceCandidate. Candidates that are not loopback are cut out of
     * the page's description before PureRTC sees it.
     */
    static InteropSession connectWithoutTrickle(BrowserPeer browser, PeerConnectionFactory factory,
                                                RtcConfiguration.Builder config, String pc, Direction direction)
            throws Exception {
        InteropSession s = new InteropSession(browser, new PureRtcPeer(factory, config), pc, direction, false);
        try {
            s.negotiateWithoutTrickle();
            return s;
        } catch (Throwable t) {
            s.close();
            throw t;
        }
    }

    private void negotiateWithoutTrickle() throws Exception {
        browser.call("createPeerConnection", "pc", pc, "echo", false);
        if (direction == Direction.PURERTC_OFFERS) {
            javaChat = java.pc.createDataChannel("chat", RTCDataChannelInit.defaults(), java);
            java.pc.setLocalDescription(java.pc.createOffer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
            String offer = completeJavaDescription();
            browser.call("setRemoteDescription", "pc", pc, "type", "offer", "sdp", offer);
            browser.call("setLocalDescription", "pc", pc, "type", "answer",
                    "sdp", browser.call("createAnswer", "pc", pc).get("sdp").asText());
            java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    completePeerDescription())).get(10, TimeUnit.SECONDS);
        } else {
            browserChat = pc + "-chat";
            browser.call("createDataChannel", "pc", pc, "channel", browserChat, "label", "chat");
            browser.call("setLocalDescription", "pc", pc, "type", "offer",
                    "sdp", browser.call("createOffer", "pc", pc).get("sdp").asText());
            java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                    completePeerDescription())).get(10, TimeUnit.SECONDS);
            java.pc.setLocalDescription(java.pc.createAnswer().get(10, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
            browser.call("setRemoteDescription", "pc", pc, "type", "answer", "sdp", completeJavaDescription());
        }
        pumpUntilChatOpen();
    }

    /** PureRTC's local description once its gathering is complete (the event, then the description). */
    private String completeJavaDescription() {
        java.await(e -> e.type().equals("gatheringstate") && "COMPLETE".equals(e.text()), WAIT);
        String sdp = java.pc.localDescription().sdp();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                String address = Candidates.address(line.substring(2));
                assertTrue(Candidates.isLoopback(address), "PureRTC gathered a non-loopback candidate: " + line);
                javaDescriptionCandidates.add(address);
            }
        }
        return sdp;
    }

    /** The page's pc.localDescription once its gathering is complete, without non-loopback candidates. */
    private String completePeerDescription() {
        String sdp = browser.call("completeLocalDescription", "pc", pc).get("sdp").asText();
        StringBuilder kept = new StringBuilder();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=candidate:")) {
                String address = Candidates.address(line.substring(2));
                if (!Candidates.isLoopback(address)) {
                    continue; // never let PureRTC send to anything but loopback
                }
                peerDescriptionCandidates.add(address);
            }
            kept.append(line).append("\r\n");
        }
        return kept.toString();
    }

    private void negotiate(boolean echo, java.util.function.Consumer<InteropSession> beforeOffer) throws Exception {
        browser.call("createPeerConnection", "pc", pc, "echo", echo);
        beforeOffer.accept(this);
        if (direction == Direction.PURERTC_OFFERS) {
            javaChat = java.pc.createDataChannel("chat", RTCDataChannelInit.defaults(), java);
            RTCSessionDescription offer = java.pc.createOffer().get(10, TimeUnit.SECONDS);
            java.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            assertEquals("have-remote-offer", browser.call("setRemoteDescription", "pc", pc, "type", "offer",
                    "sdp", offer.sdp()).get("signalingState").asText());
            // Trickle as an application does: candidates cross while the answer is being made.
            forwardCandidates();
            JsonNode answer = browser.call("createAnswer", "pc", pc);
            browser.call("setLocalDescription", "pc", pc, "type", "answer", "sdp", answer.get("sdp").asText());
            forwardCandidates();
            java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    answer.get("sdp").asText())).get(10, TimeUnit.SECONDS);
        } else {
            browserChat = pc + "-chat";
            browser.call("createDataChannel", "pc", pc, "channel", browserChat, "label", "chat");
            JsonNode offer = browser.call("createOffer", "pc", pc);
            browser.call("setLocalDescription", "pc", pc, "type", "offer", "sdp", offer.get("sdp").asText());
            java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                    offer.get("sdp").asText())).get(10, TimeUnit.SECONDS);
            forwardBrowserCandidates();
            RTCSessionDescription answer = java.pc.createAnswer().get(10, TimeUnit.SECONDS);
            java.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            assertEquals("stable", browser.call("setRemoteDescription", "pc", pc, "type", "answer",
                    "sdp", answer.sdp()).get("signalingState").asText());
        }
        pumpUntilChatOpen();
    }

    /**
     * The page's next {@code type} event on {@code channel}, as {@link BrowserPeer#awaitEvent} waits for
     * it; a timeout also says PureRTC's side ({@link PureRtcPeer#diagnostics()}), so that a message that
     * never arrived shows whether PureRTC dropped it, still holds it, or sent it and the page lost it.
     */
    BrowserEvent awaitPageEvent(String type, String channel) {
        try {
            return browser.awaitEvent(type, "channel", channel, WAIT);
        } catch (BrowserTimeoutException e) {
            throw new BrowserTimeoutException(e.getMessage() + pageStats() + java.diagnostics()
                    + (inboundSctp == null ? "" : inboundSctp.summary()));
        }
    }

    /**
     * The page's getStats entries for its data channels (messagesReceived, state) and its transport:
     * against PureRTC's messagesSent, they say whether messages reached the page's SCTP but not its channel.
     */
    private String pageStats() {
        StringBuilder sb = new StringBuilder("\n--- ").append(browser.kind()).append(" stats:");
        try {
            for (JsonNode r : browser.call("getStats", "pc", pc)) {
                String type = r.path("type").asText();
                if (type.equals("data-channel") || type.equals("transport") || type.equals("peer-connection")) {
                    sb.append("\n  ").append(r);
                }
            }
        } catch (RuntimeException ex) {
            sb.append(" getStats failed: ").append(ex);
        }
        return sb.toString();
    }

    /** Forwards candidates both ways until the chat channel is open on both sides. */
    private void pumpUntilChatOpen() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        // Candidates and channel events from either side end the wait at once, not at the next step.
        browser.onEvent(java::wake);
        try {
            pump(deadline);
        } finally {
            browser.onEvent(null);
        }
    }

    private void pump(long deadline) {
        boolean javaOpen = false;
        boolean browserOpen = false;
        while (!(javaOpen && browserOpen)) {
            long seen = java.wakeUps();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("chat channel not open on both sides within " + WAIT + " (PureRTC open: "
                        + javaOpen + ", " + browser.kind() + " open: " + browserOpen + ", PureRTC state "
                        + java.pc.connectionState() + ")" + browser.diagnostics());
            }
            if (trickle) {
                forwardCandidates();
            }
            if (javaChat == null) {
                PureRtcPeer.Event dc = java.poll(e -> e.type().equals("datachannel"));
                if (dc != null) {
                    javaChat = dc.channel();
                    assertEquals("chat", javaChat.label());
                }
            }
            if (!javaOpen && javaChat != null) {
                RTCDataChannel c = javaChat;
                javaOpen = java.poll(e -> e.is("open", c)) != null;
            }
            if (browserChat == null) {
                List<BrowserEvent> dc = browser.takeEvents(e -> e.is("datachannel", "pc", pc));
                if (!dc.isEmpty()) {
                    browserChat = dc.get(0).text("channel");
                    assertEquals("chat", dc.get(0).text("label"));
                }
            }
            if (!browserOpen && browserChat != null) {
                String c = browserChat;
                browserOpen = !browser.takeEvents(e -> e.is("open", "channel", c)).isEmpty();
            }
            if (!(javaOpen && browserOpen)) {
                java.waitForWakeUp(seen, PUMP_STEP);
            }
        }
    }

    /** Sends every candidate gathered so far to the other side. */
    void forwardCandidates() {
        forwardJavaCandidates();
        forwardBrowserCandidates();
    }

    /** PureRTC's candidates to the page (once the page has PureRTC's description). */
    private void forwardJavaCandidates() {
        PureRtcPeer.Event e;
        while ((e = java.poll(ev -> ev.type().equals("candidate") || ev.type().equals("gatheringcomplete"))) != null) {
            if (e.type().equals("gatheringcomplete")) {
                browser.call("addIceCandidate", "pc", pc);
                continue;
            }
            RTCIceCandidate c = e.candidate();
            String address = Candidates.address(c.candidate());
            candidateAddresses.add(address);
            assertTrue(Candidates.isLoopback(address), "PureRTC gathered a non-loopback candidate: " + c);
            var args = browser.args();
            args.put("pc", pc);
            args.put("candidate", c.candidate());
            if (c.sdpMid() != null) {
                args.put("sdpMid", c.sdpMid());
            }
            args.put("sdpMLineIndex", c.sdpMLineIndex() == null ? 0 : c.sdpMLineIndex());
            browser.call("addIceCandidate", args, BrowserPeer.DEFAULT_CALL_TIMEOUT);
        }
    }

    /** The page's candidates to PureRTC (which keeps those that come before the page's description). */
    private void forwardBrowserCandidates() {
        for (BrowserEvent b : browser.takeEvents(ev -> ev.is("icecandidate", "pc", pc))) {
            String candidate = b.text("candidate");
            if (candidate == null) {
                java.pc.addIceCandidate(new RTCIceCandidate("", b.text("sdpMid"), null)).join();
                continue;
            }
            String address = Candidates.address(candidate);
            if (!Candidates.isLoopback(address)) {
                continue; // never let PureRTC send to anything but loopback
            }
            candidateAddresses.add(address);
            JsonNode index = b.data().get("sdpMLineIndex");
            java.pc.addIceCandidate(new RTCIceCandidate(candidate, b.text("sdpMid"),
                    index == null || index.isNull() ? null : index.asInt())).join();
        }
    }

    /** The page's transport stats record (getStats type "transport"). */
    JsonNode browserTransportStats() {
        JsonNode stats = browser.call("getStats", "pc", pc);
        for (JsonNode r : stats) {
            if (r.path("type").asText().equals("transport")) {
                return r;
            }
        }
        throw new AssertionError("no transport record in getStats: " + stats);
    }

    /** Closes the page's connection (once). */
    void closeBrowserSide() {
        if (!browserClosed) {
            browserClosed = true;
            browser.call("closePeerConnection", "pc", pc);
        }
    }

    @Override
    public void close() {
        java.close();
        if (!browserClosed) {
            try {
                closeBrowserSide();
            } catch (RuntimeException e) {
                // the browser may be gone (killed on purpose); nothing left to close then
            }
        }
    }
}
