package dev.purertc.interop;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purertc.channel.PeerConnectionFactory;
import dev.purertc.channel.PeerConnectionState;
import dev.purertc.channel.RTCDataChannel;
import dev.purertc.dtls.DtlsConnectionInfo;
import dev.purertc.interop.InteropSession.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's matrix: PureRTC against one real peer (a subclass per peer), every scenario with PureRTC
 * as offerer and as answerer. One browser per class, started once; one fresh pair of peer
 * connections per test. The PureRTC side runs in this JVM, inside the same lo-only namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PureRtcInteropTest {
    static final Duration WAIT = InteropSession.WAIT;
    /** Text messages of every shape: empty, ASCII, 2-, 3- and 4-byte UTF-8. */
    static final List<String> TEXTS = List.of("", "hello", "h\u00e9llo w\u00f6rld \u4e16\u754c \ud83c\udf10\ud83d\ude80");
    /** Binary messages: empty, one byte, every byte value. */
    static final List<byte[]> BINARIES = List.of(new byte[0], new byte[] {0}, allByteValues());

    private final AtomicInteger nextPc = new AtomicInteger();
    BrowserPeer browser;
    PeerConnectionFactory factory;

    abstract BrowserKind kind();

    /** The page's getStats {@code tlsVersion} against PureRTC (DTLS 1.2-only). */
    abstract String expectedTlsVersion();

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

    InteropSession connect(Direction direction, boolean echo) throws Exception {
        return InteropSession.connect(browser, factory, PureRtcPeer.loopback(), "pc" + nextPc.incrementAndGet(),
                direction, echo);
    }

    // ---- 1. connect, DTLS facts, messages both ways -----------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Direction.class)
    void connectWithTrickleIceAndExchangeMessages(Direction direction) throws Exception {
        try (InteropSession s = connect(direction, false)) {
            assertFalse(s.candidateAddresses.isEmpty(), "no candidate was trickled");
            s.java.awaitState(PeerConnectionState.CONNECTED, WAIT);

            JsonNode transport = s.browserTransportStats();
            assertEquals("connected", transport.path("dtlsState").asText(), transport.toString());
            assertEquals(expectedTlsVersion(), transport.path("tlsVersion").asText(), transport.toString());
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", transport.path("dtlsCipher").asText(), transport.toString());
            DtlsConnectionInfo info = s.java.pc.dtlsConnectionInfo().orElseThrow();
            assertEquals("FEFD", info.tlsVersionHex());
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", info.cipherSuiteName());
            // a=setup: the offerer is actpass, the answerer picks active (both browsers and PureRTC)
            String expectedJavaRole = direction == Direction.PURERTC_OFFERS ? "SERVER" : "CLIENT";
            assertEquals(expectedJavaRole, info.role().name());
            if (transport.has("dtlsRole")) {
                assertEquals(direction == Direction.PURERTC_OFFERS ? "client" : "server", transport.get("dtlsRole").asText());
            }

            exchangeEveryMessageKind(s, s.javaChat, s.browserChat);
        }
    }

    /** Every text and binary message, PureRTC to the page then the page to PureRTC, exact. */
    void exchangeEveryMessageKind(InteropSession s, RTCDataChannel javaChannel, String browserChannel) {
        for (String t : TEXTS) {
            javaChannel.send(t);
        }
        for (byte[] b : BINARIES) {
            javaChannel.send(b);
        }
        for (String t : TEXTS) {
            BrowserEvent m = browser.awaitEvent("message", "channel", browserChannel, WAIT);
            assertEquals("false", m.text("binary"), m.toString());
            assertEquals(t, m.text("text"));
        }
        for (byte[] b : BINARIES) {
            BrowserEvent m = browser.awaitEvent("message", "channel", browserChannel, WAIT);
            assertEquals("true", m.text("binary"), m.toString());
            assertArrayEquals(b, Base64.getDecoder().decode(m.text("base64")));
        }
        for (String t : TEXTS) {
            browser.call("send", "channel", browserChannel, "text", t);
        }
        for (byte[] b : BINARIES) {
            browser.call("send", "channel", browserChannel, "base64", Base64.getEncoder().encodeToString(b));
        }
        for (String t : TEXTS) {
            PureRtcPeer.Event m = s.java.await(e -> e.is("message", javaChannel), WAIT);
            assertNull(m.data(), "expected text, got binary");
            assertEquals(t, m.text());
        }
        for (byte[] b : BINARIES) {
            PureRtcPeer.Event m = s.java.await(e -> e.is("message", javaChannel), WAIT);
            assertNull(m.text(), "expected binary, got text " + m.text());
            assertArrayEquals(b, m.data());
        }
    }

    static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static void check(boolean condition, String message) {
        assertTrue(condition, message);
    }
}
