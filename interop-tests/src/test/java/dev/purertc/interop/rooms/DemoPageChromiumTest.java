package dev.purertc.interop.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;

import dev.purertc.interop.InteropMatrix;
import dev.purertc.signaling.demo.DemoMain;

/**
 * Issue 6 acceptance, the demo README runs: {@code DemoMain.Demo} in this JVM (signaling server on
 * 127.0.0.1, page at {@code /}, Java peer {@code javapeer}), its page in headless Chromium driven through
 * the page's own buttons and its {@code window.demo} record. One browser for the class; every test opens
 * its own tab(s), so every tab is its own user with its own room to the Java peer.
 */
@InteropMatrix(peer = "chromium", direction = "demo page")
@Timeout(120)
class DemoPageChromiumTest {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static DemoMain.Demo demo;
    private static CdpChromium chromium;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(CdpChromium.isInstalled(), "chromium is not installed (apt-get install -y chromium)");
        demo = DemoMain.Demo.start(0);
        chromium = CdpChromium.launch();
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
                assertEquals(0, chromium.groupMembers().size(), "every chromium process is gone");
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    private static CdpPage connectedTab() throws Exception {
        return connectedTab("/");
    }

    private static CdpPage connectedTab(String path) throws Exception {
        CdpPage tab = chromium.open(demo.server.httpUri(path).toString());
        tab.waitFor("window.demo && window.demo.state === 'connected'", CONNECT);
        assertEquals("[]", tab.eval("JSON.stringify(window.demo.errors)").asText());
        return tab;
    }

    private static void click(CdpPage tab, String id) {
        tab.eval("document.getElementById('" + id + "').click()");
    }

    @Test
    void chatRequestAndRunAreAnsweredByJavaRoutes() throws Exception {
        CdpPage tab = connectedTab();
        assertTrue(tab.eval("window.demo.room").asText().startsWith("rtc"), "room id in graphscript's form");
        assertEquals("connected to javapeer in room " + tab.eval("window.demo.room").asText(),
                tab.eval("document.getElementById('state').textContent").asText());

        tab.eval("document.getElementById('chat-text').value = 'hello from chromium, ünïcode ✓'");
        click(tab, "chat-send");
        assertEquals("javapeer got \"hello from chromium, ünïcode ✓\"",
                tab.waitFor("window.demo.chatReply", CONNECT).asText(), "the Java route saw the exact text");

        click(tab, "add");
        JsonNode sum = tab.waitFor("window.demo.sum", CONNECT);
        assertEquals(5, sum.asInt());
        assertTrue(sum.isNumber(), "request add(2,3) answers a number: " + sum);
        assertEquals("add(2, 3) = 5", tab.eval("document.getElementById('request-answer').textContent").asText());

        Instant before = Instant.now();
        click(tab, "time");
        Instant time = Instant.parse(tab.waitFor("window.demo.time", CONNECT).asText());
        Instant after = Instant.now();
        assertTrue(!time.isBefore(before) && !time.isAfter(after), time + " within [" + before + ", " + after + "]");
        assertEquals("[]", tab.eval("JSON.stringify(window.demo.errors)").asText());
    }

    @Test
    void tickSubscriptionPushesUntilUnsubscribed() throws Exception {
        CdpPage first = connectedTab();
        assertTrue(first.waitFor("window.demo.ticks >= 2", CONNECT).asBoolean());
        click(first, "unsubscribe");
        assertTrue(first.waitFor("window.demo.unsubscribed", CONNECT).asBoolean(), "unsubscribe answers true");
        // Pushes and the unsubscribe reply share one ordered channel: every push sent before the reply
        // has arrived by now, and none may follow.
        int ticksAtUnsubscribe = first.eval("window.demo.ticks").asInt();
        String tickText = first.eval("document.getElementById('tick').textContent").asText();
        assertTrue(tickText.matches("#\\d+ at \\d{4}-.*Z"), tickText);

        // A second tab subscribes after that: two pushes to it prove Java published twice more.
        CdpPage second = connectedTab();
        assertTrue(second.waitFor("window.demo.ticks >= 2", CONNECT).asBoolean());
        assertEquals(ticksAtUnsubscribe, first.eval("window.demo.ticks").asInt(), "no push after unsubscribe");
        assertEquals(tickText, first.eval("document.getElementById('tick').textContent").asText());
    }

    @Test
    void fileOf300KiBReachesJavaWithTheSameSha256() throws Exception {
        CdpPage tab = connectedTab();
        int size = 300 * 1024;
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8) + 7);
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        JsonNode result = tab.eval("(async () => { const b = new Uint8Array(" + size + ");"
                + " for (let i = 0; i < b.length; i++) b[i] = (i * 31 + (i >>> 8) + 7) & 255;"
                + " const r = await window.demo.sendFile('pattern.bin', b.buffer);"
                + " return { r, page: window.demo.file.sha256, progress: document.getElementById('progress').value,"
                + " max: document.getElementById('progress').max, text: document.getElementById('file-result').textContent,"
                + " before: Math.max(...window.demo.progressLog), status: document.getElementById('file-progress').textContent }; })()");
        assertEquals(expected, result.get("page").asText(), "page's SHA-256 of the bytes it sent");
        assertEquals(expected, result.get("r").get("sha256").asText(), "Java's SHA-256 of the bytes it received");
        assertEquals(size, result.get("r").get("bytes").asLong());
        assertEquals("pattern.bin", result.get("r").get("name").asText());
        assertTrue(result.get("r").get("match").asBoolean());
        assertEquals(size, result.get("progress").asInt(), "progress bar full once Java's SHA-256 matched");
        int before = result.get("before").asInt();
        assertTrue(before >= 256 * 1024 && before <= size - 1, "before that the bar showed what Java confirmed"
                + " (every 256 KiB and the end; the last confirmation may come after the hash), never the end: " + before);
        assertTrue(result.get("status").asText().startsWith("0.31 of 0.31 MB at Java, "), result.get("status").asText());
        assertEquals(size, result.get("max").asInt());
        assertEquals(size + " bytes, SHA-256 " + expected + " matches", result.get("text").asText());
    }

    @Test
    void twoTabsCallEachOtherPeerToPeerThroughTheServer() throws Exception {
        CdpPage alice = connectedTab();
        CdpPage bob = connectedTab();
        String bobId = bob.eval("document.getElementById('me').textContent").asText();
        assertTrue(bobId.startsWith("browser"), bobId);
        alice.eval("document.getElementById('peer-id').value = '" + bobId + "'");
        click(alice, "call-peer");
        alice.waitFor("!document.getElementById('peer-send').disabled", CONNECT);
        bob.waitFor("document.getElementById('log').textContent.includes('call from browser')", CONNECT);
        alice.eval("document.getElementById('peer-text').value = 'hi bob'");
        click(alice, "peer-send");
        alice.waitFor("document.getElementById('log').textContent.includes('tab answered: " + bobId + " got \"hi bob\"')", CONNECT);
        bob.waitFor("document.getElementById('log').textContent.includes('tab says: hi bob')", CONNECT);
        // Bob was called by Alice herself (user to user through the relay), not by the Java peer.
        String aliceId = alice.eval("document.getElementById('me').textContent").asText();
        // The callee sends too.
        assertEquals(aliceId, bob.waitFor("window.demo.calledBy", CONNECT).asText());
        bob.waitFor("!document.getElementById('peer-send').disabled", CONNECT);
        bob.eval("document.getElementById('peer-text').value = 'hi alice'");
        click(bob, "peer-send");
        bob.waitFor("document.getElementById('log').textContent.includes('tab answered: " + aliceId + " got \"hi alice\"')", CONNECT);
        assertTrue(bob.eval("document.getElementById('log').textContent").asText().contains("call from " + aliceId));
        assertEquals("[]", alice.eval("JSON.stringify(window.demo.errors)").asText());
        assertEquals("[]", bob.eval("JSON.stringify(window.demo.errors)").asText());
    }

    @Test
    void callingAnUnknownIdShowsAnErrorOnThePage() throws Exception {
        CdpPage tab = connectedTab();
        tab.eval("document.getElementById('peer-id').value = 'nobody-here'");
        click(tab, "call-peer");
        String error = tab.waitFor("window.demo.callError", CONNECT).asText();
        assertTrue(error.contains("unknown-user") || error.contains("no user"), error);
        assertEquals("could not call nobody-here: " + error, tab.eval("document.getElementById('error').textContent").asText());
        assertEquals("[]", tab.eval("JSON.stringify(window.demo.errors)").asText(), "handled, not an unhandled rejection");
    }

    @Test
    void tabsListEachOtherInTheLobbyCallFromTheListAndAClosedTabLeavesIt() throws Exception {
        // A lobby of this test's own: other tests' tabs stay in the default one.
        CdpPage alice = connectedTab("/?lobby=presence-test");
        CdpPage bob = connectedTab("/?lobby=presence-test");
        String aliceId = alice.eval("document.getElementById('me').textContent").asText();
        String bobId = bob.eval("document.getElementById('me').textContent").asText();
        String both = aliceId.compareTo(bobId) < 0 ? "[\"" + aliceId + "\",\"" + bobId + "\"]"
                : "[\"" + bobId + "\",\"" + aliceId + "\"]";
        assertEquals("presence-test", alice.eval("document.getElementById('lobby').textContent").asText());
        assertTrue(alice.waitFor("JSON.stringify(window.demo.members) === '" + both + "'", CONNECT).asBoolean(),
                "alice saw bob join");
        assertEquals(both, bob.eval("JSON.stringify(window.demo.members)").asText(), "bob's list from his join");
        assertEquals("[\"" + bobId + "\"]", alice.eval("JSON.stringify([...document.querySelectorAll('#members button')]"
                + ".map((b) => b.dataset.user))").asText(), "alice can pick bob, not herself");
        assertTrue(alice.waitFor("document.getElementById('log').textContent.includes('" + bobId + " joined the lobby')",
                CONNECT).asBoolean());

        // Clicking bob in the list calls him.
        alice.eval("document.querySelector('#members button[data-user=\"" + bobId + "\"]').click()");
        assertEquals(bobId, alice.eval("document.getElementById('peer-id').value").asText());
        assertEquals(aliceId, bob.waitFor("window.demo.calledBy", CONNECT).asText());
        alice.waitFor("!document.getElementById('peer-send').disabled", CONNECT);

        chromium.closeTab(bob);
        assertTrue(alice.waitFor("JSON.stringify(window.demo.members) === '[\"" + aliceId + "\"]'", CONNECT).asBoolean(),
                "bob's closed tab left alice's list");
        assertEquals("", alice.eval("[...document.querySelectorAll('#members button')].map((b) => b.dataset.user).join()")
                .asText());
        assertTrue(alice.eval("document.getElementById('log').textContent.includes('" + bobId + " left the lobby')").asBoolean());
        assertEquals("[]", alice.eval("JSON.stringify(window.demo.errors)").asText());
    }

    /** The live chart draws the connection's stats: a screenshot of its canvas has both lines' colours. */
    @Test
    void theStatsChartDrawsThroughputAndRoundTrip() throws Exception {
        CdpPage tab = connectedTab();
        // A point is the difference of two samples: wait for the first one, or a 2 MiB file can move
        // entirely before it (on loopback it takes well under the one-second sampling interval).
        assertTrue(tab.waitFor("window.demo.chartPoints >= 1", CONNECT).asBoolean());
        tab.eval("(async () => { const b = new Uint8Array(2 << 20); await window.demo.sendFile('chart.bin', b.buffer); })()");
        // Three points, one of which saw the file move.
        assertTrue(tab.waitFor("window.demo.chartPoints >= 3 && window.demo.chartMaxMbps > 0.1", CONNECT).asBoolean());
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(tab.screenshot("chart")));
        int blue = 0;
        int white = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                int r = rgb >>> 16;
                int b = rgb & 0xff;
                // The line's colour #1565c0, or its anti-aliased edge over white: blue well above red. A
                // steep stretch (a transfer that ends between two samples) has few pixels of the exact colour.
                if (b - r > 40) {
                    blue++;
                } else if (rgb == 0xffffff) {
                    white++;
                }
            }
        }
        assertEquals(480, png.getWidth());
        assertTrue(blue > 20, "the throughput line is drawn: " + blue + " pixels of its colour or its edge");
        assertTrue(white > png.getWidth() * png.getHeight() / 2, "the rest is the white background: " + white);
        assertTrue(tab.eval("document.getElementById('chart-now').textContent").asText().matches("now [0-9.]+ MB/s, [0-9.]+ ms"),
                tab.eval("document.getElementById('chart-now').textContent").asText());
    }
}
