package dev.purertc.interop;

import dev.purertc.sdp.DataChannelNegotiation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver itself: failed commands come back as {@link BrowserCallException} with the page's
 * error, waits are bounded, and closing a browser leaves no process of its group and no profile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserDriverTest {
    private BrowserPeer browser;

    abstract BrowserKind kind();

    /** What {@code navigator.userAgent} of this headless browser contains. */
    abstract String userAgentMark();

    @BeforeAll
    void startBrowser() {
        BrowserAssumptions.assumeInstalled(kind());
        browser = Browsers.launch(kind());
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void pageReportsItsUserAgent() {
        assertTrue(browser.userAgent().contains(userAgentMark()), browser.userAgent());
        assertEquals(browser.userAgent(), browser.call("ping").get("userAgent").asText());
    }

    @Test
    void unknownCommandFailsWithThePageError() {
        BrowserCallException e = assertThrows(BrowserCallException.class, () -> browser.call("noSuchCommand"));
        assertEquals("Error: unknown command noSuchCommand", e.pageError());
        assertEquals("noSuchCommand", e.command());
    }

    @Test
    void webRtcErrorComesBackWithItsDomExceptionName() {
        browser.call("createPeerConnection", "pc", "stable");
        // JSEP (RFC 8829 §5.7, webrtc-pc §4.4.1.5): an answer in state stable -> InvalidStateError.
        String validSdp = DataChannelNegotiation.createOffer(PureRtcSdpParameters.random()).toSdp();
        BrowserCallException e = assertThrows(BrowserCallException.class, () -> browser.call("setRemoteDescription",
                "pc", "stable", "type", "answer", "sdp", validSdp));
        assertTrue(e.pageError().startsWith("InvalidStateError: "), e.pageError());
        browser.call("closePeerConnection", "pc", "stable");
    }

    @Test
    void waitForAnEventThatNeverComesIsBounded() {
        BrowserTimeoutException e = assertThrows(BrowserTimeoutException.class,
                () -> browser.awaitEvent(ev -> ev.type().equals("no-such-event"), Duration.ofMillis(300)));
        assertTrue(e.getMessage().startsWith("no matching event within PT0.3S"), e.getMessage());
    }

    @Test
    void closeKillsTheWholeProcessGroupAndDeletesTheProfile() {
        BrowserPeer second = Browsers.launch(kind());
        long pid = second.browserPid();
        Path profile = second.profileDir();
        List<Long> group = second.browserProcessGroup();
        assertTrue(group.contains(pid), "group " + group + " lacks the browser " + pid);
        assertTrue(Files.isDirectory(profile));

        second.close();

        assertEquals(List.of(), second.browserProcessGroup());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(profile), "profile " + profile + " still exists");
        assertThrows(IllegalStateException.class, () -> second.call("ping"));
    }

    @Test
    void killedBrowserFailsPendingWaitsAndLeavesNothingBehind() throws Exception {
        try (BrowserPeer doomed = Browsers.launch(kind())) {
            long pid = doomed.browserPid();
            Path profile = doomed.profileDir();
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    doomed.awaitEvent(ev -> ev.type().equals("never-sent"), Duration.ofSeconds(60));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });

            doomed.killBrowser();

            Throwable failure = waiting.get(20, TimeUnit.SECONDS);
            assertInstanceOf(BrowserTimeoutException.class, failure);
            assertTrue(failure.getMessage().startsWith(kind() + " exited while waiting for an event"), failure.getMessage());
            assertEquals(List.of(), doomed.browserProcessGroup());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertFalse(Files.exists(profile), "profile " + profile + " still exists");
        }
    }
}
