package dev.purertc.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.ice.tcp.IceTcpListener;
import dev.purertc.interop.InteropSession.Direction;

/**
 * A browser whose UDP is dropped (an nftables rule in the test's namespace drops every UDP datagram, the
 * browser's and PureRTC's alike) reaches PureRTC through its passive ICE-TCP candidate
 * ({@code RtcConfiguration.Builder.iceTcp}) with its active TCP candidate, and 16 MiB cross each way with a
 * matching SHA-256.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UdpBlockedIceTcpTest {

    static final long BULK = 16L << 20;
    static final int MESSAGE = 64 << 10;
    private static final Duration BULK_WAIT = Duration.ofSeconds(120);

    private final AtomicInteger nextPc = new AtomicInteger();
    private BrowserPeer browser;
    private PeerConnectionFactory factory;

    abstract BrowserKind kind();

    @BeforeAll
    void start() {
        BrowserAssumptions.assumeInstalled(kind());
        NftRuleset.assumeInstalled();
        browser = Browsers.launch(kind());
        if (kind().needsMediaPermissionForLoopback()) {
            // Without it Chromium gathers no loopback candidate, TCP ones included.
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

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void withUdpDroppedTheBrowserConnectsOverIceTcpAndMoves16MiBEachWay(Direction direction) throws Exception {
        try (NftRuleset udpDropped = NftRuleset.apply("inet", "purertc_udp_dropped",
                "chain out { type filter hook output priority 0; meta l4proto udp drop; }");
             InteropSession s = InteropSession.connect(browser, factory,
                     PureRtcPeer.loopback().udpMux(0).iceTcp(0), "pc" + nextPc.incrementAndGet(), direction, false)) {
            s.java.awaitState(PeerConnectionState.CONNECTED, InteropSession.WAIT);
            IceTcpListener listener = factory.iceTcpListeners().get(0);

            JsonNode[] pair = BrowserStats.selectedPair(browser.call("getStats", "pc", s.pc));
            JsonNode local = pair[1];
            JsonNode remote = pair[2];
            assertEquals("tcp", local.path("protocol").asText(), local.toString());
            assertEquals("active", local.path("tcpType").asText("active"), local.toString());
            assertEquals("127.0.0.1", BrowserStats.address(remote), remote.toString());
            assertEquals(listener.port(), remote.path("port").asInt(), remote.toString());
            assertEquals("tcp", remote.path("protocol").asText(), remote.toString());
            assertTrue(listener.connectionCount() >= 1, "connections on the ICE-TCP port: " + listener.connectionCount());

            moveBulkBothWays(s);
        }
    }

    /** PureRTC to the page and back, {@link #BULK} bytes each way, both with back-pressure. */
    private void moveBulkBothWays(InteropSession s) throws Exception {
        RTCDataChannel c = s.javaChat;
        browser.call("armBulkSink", "channel", s.browserChat, "totalBytes", BULK);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(16);
        c.setBufferedAmountLowThreshold(256 << 10);
        long sent = 0;
        while (sent < BULK) {
            while (sent < BULK && c.bufferedAmount() < (1 << 20)) {
                byte[] chunk = new byte[MESSAGE];
                random.nextBytes(chunk);
                sha.update(chunk);
                c.send(chunk);
                sent += chunk.length;
            }
            if (sent < BULK) {
                s.java.await(e -> e.is("bufferedamountlow", c), BULK_WAIT);
            }
        }
        BrowserEvent received = browser.awaitEvent("bulkreceived", "channel", s.browserChat, BULK_WAIT);
        assertEquals(Long.toString(BULK), received.text("bytes"));
        assertEquals(HexFormat.of().formatHex(sha.digest()), received.text("sha256"));

        s.java.armBulkSink(c, BULK);
        var args = browser.args();
        args.put("channel", s.browserChat);
        args.put("totalBytes", BULK);
        args.put("messageSize", MESSAGE);
        args.put("highWater", 1 << 20);
        args.put("lowWater", 256 << 10);
        JsonNode theirs = browser.call("sendBulk", args, BULK_WAIT);
        assertEquals(BULK, theirs.get("bytesSent").asLong());
        PureRtcPeer.Event got = s.java.await(e -> e.is("bulkreceived", c), BULK_WAIT);
        assertEquals(BULK + " " + (BULK / MESSAGE) + " " + theirs.get("sha256").asText(), got.text());
    }
}
