package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.channel.RTCSessionDescription;
import dev.purertc.interop.InteropSession.Direction;

/**
 * ICE restart through renegotiation during a 64 MiB transfer, with the browser on the other side
 * (RFC 8445 §9, JSEP RFC 8829 §5.2.2): the page calls {@code pc.restartIce()} and renegotiates through the
 * test's signaling while it sends to PureRTC, and PureRTC calls {@code restartIce()} while it sends to the
 * page. Each time the browser's selected pair moves to its new credentials, and the whole transfer
 * arrives once, its SHA-256 matching, with the connection back to {@code connected}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserIceRestartTest {

    private static final long BULK = 64L << 20;
    private static final int MESSAGE = 64 << 10;
    private static final Duration LONG = Duration.ofSeconds(120);

    private BrowserPeer browser;
    private PeerConnectionFactory factory;

    abstract BrowserKind kind();

    @BeforeAll
    void start() {
        BrowserAssumptions.assumeInstalled(kind());
        browser = Browsers.launch(kind());
        if (kind().needsMediaPermissionForLoopback()) {
            browser.call("getUserMedia", "audio", true);
        }
        factory = new PeerConnectionFactory(1);
    }

    @AfterAll
    void stop() {
        if (factory != null) {
            factory.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theBrowserRestartsIceAndRenegotiatesWhileSendingToPureRtc() throws Exception {
        try (InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback(), "pcb",
                Direction.PURERTC_ANSWERS, false)) {
            RTCDataChannel c = s.javaChat;
            s.java.armBulkSink(c, BULK);
            AtomicReference<JsonNode> sent = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    var args = browser.args();
                    args.put("channel", s.browserChat);
                    args.put("totalBytes", BULK);
                    args.put("messageSize", MESSAGE);
                    args.put("highWater", 1 << 20);
                    args.put("lowWater", 256 << 10);
                    sent.set(browser.call("sendBulk", args, LONG));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "browser-bulk");
            sender.start();
            Thread.sleep(300); // the transfer is under way (64 MiB take seconds)
            assertTrue(sender.isAlive(), "the page is still sending when it restarts ICE");

            String before = browserUfrag(s);
            browser.call("restartIce", "pc", s.pc);
            browser.awaitEvent("negotiationneeded", "pc", s.pc, InteropSession.WAIT);
            JsonNode offer = browser.call("createOffer", "pc", s.pc);
            browser.call("setLocalDescription", "pc", s.pc, "type", "offer", "sdp", offer.get("sdp").asText());
            s.java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.OFFER,
                    offer.get("sdp").asText())).get(10, TimeUnit.SECONDS);
            RTCSessionDescription answer = s.java.pc.createAnswer().get(10, TimeUnit.SECONDS);
            s.java.pc.setLocalDescription(answer).get(10, TimeUnit.SECONDS);
            assertEquals("stable", browser.call("setRemoteDescription", "pc", s.pc, "type", "answer",
                    "sdp", answer.sdp()).get("signalingState").asText());
            String after = browserUfrag(s);
            assertNotEquals(before, after);
            awaitBrowserPairOn(s, after);

            sender.join(LONG.toMillis());
            assertNull(failure.get());
            PureRtcPeer.Event got = s.java.await(e -> e.is("bulkreceived", c), LONG);
            assertEquals(BULK + " " + (BULK / MESSAGE) + " " + sent.get().get("sha256").asText(), got.text());
            assertEquals(PeerConnectionState.CONNECTED, s.java.pc.connectionState());
            assertEquals("connected", browser.call("state", "pc", s.pc).get("connectionState").asText());
        }
    }

    @Test
    void pureRtcRestartsIceTowardTheBrowserWhileSendingToIt() throws Exception {
        try (InteropSession s = InteropSession.connect(browser, factory, PureRtcPeer.loopback(), "pcj",
                Direction.PURERTC_OFFERS, false)) {
            browser.call("armBulkSink", "channel", s.browserChat, "totalBytes", BULK);
            RTCDataChannel c = s.javaChat;
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    Random random = new Random(32);
                    for (long sentBytes = 0; sentBytes < BULK; sentBytes += MESSAGE) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (c.bufferedAmount() > (1 << 20)) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("bufferedAmount did not drain within 60 s after " + sentBytes);
                            }
                            Thread.sleep(1);
                        }
                        byte[] chunk = new byte[MESSAGE];
                        random.nextBytes(chunk);
                        sha.update(chunk);
                        c.send(chunk);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "java-bulk");
            sender.start();
            Thread.sleep(300);
            assertTrue(sender.isAlive(), "PureRTC is still sending when it restarts ICE");

            String before = browserUfrag(s);
            s.java.pc.restartIce();
            RTCSessionDescription offer = s.java.pc.createOffer().get(10, TimeUnit.SECONDS);
            s.java.pc.setLocalDescription(offer).get(10, TimeUnit.SECONDS);
            browser.call("setRemoteDescription", "pc", s.pc, "type", "offer", "sdp", offer.sdp());
            JsonNode answer = browser.call("createAnswer", "pc", s.pc);
            browser.call("setLocalDescription", "pc", s.pc, "type", "answer", "sdp", answer.get("sdp").asText());
            s.java.pc.setRemoteDescription(new RTCSessionDescription(RTCSessionDescription.Type.ANSWER,
                    answer.get("sdp").asText())).get(10, TimeUnit.SECONDS);
            String after = browserUfrag(s);
            assertNotEquals(before, after, "the browser answers a restart offer with new credentials");
            awaitBrowserPairOn(s, after);

            sender.join(LONG.toMillis());
            assertNull(failure.get());
            BrowserEvent received = browser.awaitEvent("bulkreceived", "channel", s.browserChat, LONG);
            assertEquals(Long.toString(BULK), received.text("bytes"));
            assertEquals(Long.toString(BULK / MESSAGE), received.text("messages"));
            assertEquals(HexFormat.of().formatHex(sha.digest()), received.text("sha256"));
            assertEquals(PeerConnectionState.CONNECTED, s.java.pc.connectionState());
            assertEquals("connected", browser.call("state", "pc", s.pc).get("connectionState").asText());
        }
    }

    /** The ufrag of the page's local description in force. */
    private String browserUfrag(InteropSession s) {
        String sdp = browser.call("state", "pc", s.pc).get("localDescription").get("sdp").asText();
        for (String line : sdp.split("\r\n")) {
            if (line.startsWith("a=ice-ufrag:")) {
                return line.substring("a=ice-ufrag:".length());
            }
        }
        throw new AssertionError("no a=ice-ufrag in " + sdp);
    }

    /** Forwards candidates both ways until the page's selected pair uses a local candidate of {@code ufrag}. */
    private void awaitBrowserPairOn(InteropSession s, String ufrag) throws InterruptedException {
        long deadline = System.nanoTime() + InteropSession.WAIT.toNanos();
        String last = "none";
        while (System.nanoTime() < deadline) {
            s.forwardCandidates();
            try {
                JsonNode local = BrowserStats.selectedPair(browser.call("getStats", "pc", s.pc))[1];
                last = local.toString();
                if (ufrag.equals(local.path("usernameFragment").asText())) {
                    return;
                }
            } catch (AssertionError noPairYet) {
                last = noPairYet.getMessage();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the page's selected pair did not move to ufrag " + ufrag + " within "
                + InteropSession.WAIT + "; last local candidate " + last + browser.diagnostics());
    }
}
